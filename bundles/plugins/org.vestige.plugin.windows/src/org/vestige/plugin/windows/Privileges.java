package org.vestige.plugin.windows;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.Readout;
import org.vestige.windows.TokenReader;
import org.vestige.windows.WinToken;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.WindowsPrivilege;

/**
 * {@code windows.privileges}: the privileges each process's primary token holds, and whether each is enabled
 * and enabled by default.
 *
 * @since 0.1
 */
public final class Privileges implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> VALUE = Column.integer("Value");
    public static final Column<String> PRIVILEGE = Column.string("Privilege");
    public static final Column<Boolean> PRESENT = Column.bool("Present");
    public static final Column<Boolean> ENABLED = Column.bool("Enabled");
    public static final Column<Boolean> DEFAULT = Column.bool("EnabledByDefault");
    public static final Column<String> DESCRIPTION = Column.string("Description");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, VALUE, PRIVILEGE, PRESENT, ENABLED, DEFAULT, DESCRIPTION);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        TokenReader reader = Tokens.reader(kernel);
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Reading process tokens", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            Readout<WinToken> token = reader.read(s.process());
            if (!token.isPresent()) {
                Tokens.unreadable(table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()), token,
                        List.of(VALUE, PRIVILEGE, PRESENT, ENABLED, DEFAULT, DESCRIPTION), result, s.process());
                continue;
            }
            WinToken t = token.get();
            // any bit of a mask: a privilege only enabled (not present) is damage worth showing too
            long any = t.present() | t.enabled() | t.enabledByDefault();
            for (int bit = 0; bit < 64; bit++) {
                if ((any & (1L << bit)) == 0) {
                    continue;
                }
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(VALUE,
                        (long) bit).set(PRESENT, (t.present() & (1L << bit)) != 0).set(ENABLED, (t.enabled()
                                & (1L << bit)) != 0).set(DEFAULT, (t.enabledByDefault() & (1L << bit)) != 0);
                var known = WindowsPrivilege.of(bit);
                if (known.isPresent()) {
                    row.set(PRIVILEGE, known.get().constant()).set(DESCRIPTION, known.get().description());
                } else {
                    row.missing(PRIVILEGE, "no privilege has LUID " + bit).missing(DESCRIPTION, "no privilege has LUID "
                            + bit);
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process().toString(), "_TOKEN at 0x" + Long
                            .toHexString(t.address()) + ": privilege bit " + bit + " is set, but no privilege has "
                            + "that LUID"));
                }
            }
        }
        return result;
    }
}
