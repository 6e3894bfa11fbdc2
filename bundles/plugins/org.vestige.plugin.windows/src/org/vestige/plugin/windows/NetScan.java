package org.vestige.plugin.windows;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.EndpointKind;
import org.vestige.windows.EndpointLayout;
import org.vestige.windows.EndpointReader;
import org.vestige.windows.NetEndpoint;
import org.vestige.windows.NetworkScanner;
import org.vestige.windows.PoolScanner;
import org.vestige.windows.TcpipTables;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * {@code windows.netscan}: tcpip.sys's TCP connections, TCP listeners and UDP endpoints found by scanning all of
 * physical memory for their pool blocks ('TcpE', 'TcpL', 'UdpA'), on every core — protocol, local and remote
 * address and port, state, owner and creation time — each compared with a walk of tcpip's own tables: an
 * endpoint the tables do not reach (closed, or unlinked) is flagged, not dropped.
 *
 * @since 0.1
 */
public final class NetScan implements Analysis {

    public static final Column<Long> PHYSICAL = Column.address("Offset(P)");
    public static final Column<Boolean> IN_TABLES = Column.bool("InTables");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        int build = kernel.discovery().build();
        X64Layer space = kernel.discovery().kernel();
        EndpointReader reader = NetRows.reader(kernel);
        PoolScanner.Result<NetEndpoint> scan;
        try {
            scan = new NetworkScanner(context.requireEvidence().physical(), space, reader).scan(Math.max(1, Runtime
                    .getRuntime().availableProcessors()), new MonitoredScan(monitor,
                            "Scanning physical memory for network endpoints"));
        } catch (CancellationException e) {
            throw new OperationCanceledException(e.getMessage());
        }
        ResultTable table = ResultTable.of(PHYSICAL, NetRows.VIRTUAL, NetRows.PROTOCOL, NetRows.LOCAL,
                NetRows.LOCAL_PORT, NetRows.FOREIGN, NetRows.FOREIGN_PORT, NetRows.STATE, NetRows.PID, NetRows.OWNER,
                NetRows.CREATED, IN_TABLES);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        TcpipTables.Walk walk = NetRows.walk(context, kernel, reader, result);
        Map<Long, TcpipTables.Walked> walked = new HashMap<>();
        for (TcpipTables.Walked w : walk.endpoints()) {
            long pa = space.translate(w.address());
            if (pa >= 0) {
                walked.put(pa, w);
            }
        }
        for (NetEndpoint found : scan.found()) {
            TcpipTables.Walked w = walked.get(found.physical());
            NetEndpoint e = w != null && found.address() == 0 ? found.at(w.address()) : found;
            Row row = table.addRow().set(PHYSICAL, found.physical());
            NetRows.fill(row, e, result);
            if (walk.unavailable() != null) {
                row.missing(IN_TABLES, "tcpip's tables were not walked: " + walk.unavailable());
            } else {
                row.set(IN_TABLES, w != null);
                if (w == null) {
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, e.kind().tag() + " at " + NetRows.where(e),
                            NetRows.describe(e) + " (" + NetEndpoint.stateName(Math.max(0, e.state())) + ") is in"
                                    + " pool memory but not in tcpip's tables: closed or unlinked"));
                }
            }
        }
        scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "pool scan", w)));
        result.add(new Diagnostic(Diagnostic.Severity.INFO, "pool scan", String.format(
                "%d bytes scanned at %.2f GB/s (endpoint layouts: %s)", scan.bytesScanned(), scan.bytesPerSecond()
                        / 1e9, EndpointLayout.forBuild(build, EndpointKind.TCP_ENDPOINT).map(
                                EndpointLayout::source).orElse("none"))));
        return result;
    }
}
