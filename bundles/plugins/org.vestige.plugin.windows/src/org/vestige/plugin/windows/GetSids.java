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
import org.vestige.core.result.Unavailable;
import org.vestige.registry.AccountNames;
import org.vestige.windows.Readout;
import org.vestige.windows.Sid;
import org.vestige.windows.TokenReader;
import org.vestige.windows.TokenSid;
import org.vestige.windows.WinToken;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.getsids}: the user and group SIDs of each process's primary token, with their names and
 * attributes.
 *
 * @since 0.1
 */
public final class GetSids implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> TOKEN = Column.address("Token");
    public static final Column<String> SID = Column.string("SID");
    public static final Column<String> NAME = Column.string("Name");
    public static final Column<String> SOURCE = Column.string("NameSource");
    public static final Column<String> ATTRIBUTES = Column.string("Attributes");
    public static final Column<Boolean> USER = Column.bool("User");
    public static final Column<Boolean> RESTRICTED = Column.bool("Restricted");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, TOKEN, SID, NAME, SOURCE, ATTRIBUTES, USER,
                RESTRICTED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        TokenReader reader = Tokens.reader(kernel);
        AccountNames names = AccountNames.of(context, context.plugin().id());
        names.notes().forEach(n -> result.add(new Diagnostic(Diagnostic.Severity.INFO, "account names", n)));
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Reading process tokens", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            Readout<WinToken> token = reader.read(s.process());
            if (!token.isPresent()) {
                Tokens.unreadable(table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()), token,
                        List.of(TOKEN, SID, NAME, SOURCE, ATTRIBUTES, USER, RESTRICTED), result, s.process());
                continue;
            }
            WinToken t = token.get();
            t.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process().toString(),
                    w)));
            list(table, s, t, t.userAndGroups(), false, names);
            list(table, s, t, t.restrictedSids(), true, names);
        }
        return result;
    }

    /** Adds a row per SID of one of the token's arrays, or one row saying why the array cannot be read. */
    private static void list(ResultTable table, Selected.Process s, WinToken t, Readout<List<TokenSid>> sids,
            boolean restricted, AccountNames names) {
        if (!sids.isPresent()) {
            Unavailable why = new Unavailable(sids.reason(), sids.cause());
            table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(TOKEN, t.address())
                    .setCell(SID, why).setCell(NAME, why).setCell(SOURCE, why).setCell(ATTRIBUTES, why).setCell(USER,
                            why).set(RESTRICTED, restricted);
            return;
        }
        for (TokenSid g : sids.get()) {
            Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(TOKEN, t
                    .address()).set(ATTRIBUTES, String.join(",", TokenSid.attributeNames(g.attributes()))).set(USER,
                            !restricted && g.index() == 0).set(RESTRICTED, restricted);
            if (!g.sid().isPresent()) {
                Unavailable why = new Unavailable(g.sid().reason(), g.sid().cause());
                row.setCell(SID, why).setCell(NAME, why).setCell(SOURCE, why);
                continue;
            }
            Sid sid = g.sid().get();
            row.set(SID, sid.toString());
            var name = names.name(sid);
            if (name.isPresent()) {
                row.set(NAME, name.get().name()).set(SOURCE, name.get().source());
            } else {
                // the reason says which sources were asked: without the SAM's machine SID, local accounts were not
                row.missing(NAME, names.machineDomain().isPresent() ? "not well-known, in the SAM or in ProfileList"
                        : "not well-known or in ProfileList").setCell(SOURCE, Unavailable.NOT_APPLICABLE);
            }
        }
    }
}
