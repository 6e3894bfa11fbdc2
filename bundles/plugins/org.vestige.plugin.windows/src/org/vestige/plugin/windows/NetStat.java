package org.vestige.plugin.windows;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.EndpointReader;
import org.vestige.windows.TcpipTables;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.netstat}: the network endpoints tcpip.sys's own tables hold — the TCP connections of its
 * partitions' hash tables, the TCP listeners and UDP endpoints of its port pools — found from tcpip.sys's
 * symbols, matched by the PDB identity in the module's CodeView record, and the table layout of the build;
 * each row says which table and link reached it. Closed connections no table links are not listed (see
 * windows.netscan).
 *
 * @since 0.1
 */
public final class NetStat implements Analysis {

    public static final Column<String> FOUND_BY = Column.string("FoundBy");
    public static final Column<String> LINK = Column.string("Link");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        EndpointReader reader = NetRows.reader(kernel);
        ResultTable table = ResultTable.of(NetRows.VIRTUAL, NetRows.PROTOCOL, NetRows.LOCAL, NetRows.LOCAL_PORT,
                NetRows.FOREIGN, NetRows.FOREIGN_PORT, NetRows.STATE, NetRows.PID, NetRows.OWNER, NetRows.CREATED,
                FOUND_BY, LINK);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        TcpipTables.Walk walk = NetRows.walk(context, kernel, reader, result);
        for (TcpipTables.Walked w : walk.endpoints()) {
            EndpointReader.Candidate c = reader.read(w.kind(), w.address());
            if (c.problem() != null) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, w.kind().tag() + " at 0x" + Long.toHexString(w
                        .address()), "reached through " + w.via() + " but not a " + w.kind().tag() + ": " + c
                                .problem()));
                continue;
            }
            Row row = table.addRow();
            NetRows.fill(row, c.endpoint(), result);
            row.set(FOUND_BY, walk.how()).set(LINK, w.via());
        }
        return result;
    }
}
