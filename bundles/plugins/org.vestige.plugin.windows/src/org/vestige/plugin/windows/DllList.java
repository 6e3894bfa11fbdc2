package org.vestige.plugin.windows;

import java.time.Instant;

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
import org.vestige.core.result.TimeMeaning;
import org.vestige.core.result.Unavailable;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.windows.EvidenceProcesses;
import org.vestige.windows.LinkTime;
import org.vestige.windows.MinidumpProcess;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.WinModule;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.dlllist}: each process's modules from its PEB loader list, in load order, with the time each
 * was linked (its PE header's TimeDateStamp, a timeline source); on a user-mode minidump, the modules its module
 * list records.
 *
 * @since 0.1
 */
public final class DllList implements Analysis {

    public static final Column<Long> PID = Column.pid("PID").subject();
    public static final Column<String> PROCESS = Column.string("Process").subject();
    public static final Column<Long> BASE = Column.address("Base");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> NAME = Column.string("Name").subject();
    public static final Column<String> PATH = Column.string("Path");
    public static final Column<Long> LOAD_COUNT = Column.integer("LoadCount");
    /** The TimeDateStamp of the module's PE header as mapped (a minidump's: as its module list records it). */
    public static final Column<Instant> LINKED = Column.time("Linked", TimeMeaning.LINKED);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(PID, PROCESS, BASE, SIZE, NAME, PATH, LOAD_COUNT, LINKED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        switch (EvidenceProcesses.of(context)) {
            case MinidumpProcess dump -> list(context, dump, table, result);
            case WindowsKernel kernel -> list(context, kernel, table, result, monitor);
        }
        return result;
    }

    /** The minidump's module list, in the dump's order (the writer's, usually load order). */
    private static void list(AnalysisContext context, MinidumpProcess dump, ResultTable table, AnalysisResult result) {
        if (!Selected.dump(dump, context, result)) {
            return;
        }
        if (dump.modules().isEmpty()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, dump.toString(), "the minidump has no module list"));
        }
        for (MinidumpModule m : dump.modules()) {
            Row row = table.addRow();
            if (dump.pid().isPresent()) {
                row.set(PID, dump.pid().getAsLong());
            } else {
                row.missing(PID, "the minidump has no MiscInfo stream recording the process id");
            }
            row.set(PROCESS, dump.name()).set(BASE, m.baseOfImage()).set(SIZE, m.sizeOfImage()).set(NAME, m
                    .baseName()).set(PATH, m.name()).missing(LOAD_COUNT, "a minidump's module list does not record "
                            + "load counts");
            if (m.timeDateStamp() == 0) {
                row.missing(LINKED, "the minidump's module list records no TimeDateStamp (0)");
            } else {
                row.set(LINKED, Instant.ofEpochSecond(Integer.toUnsignedLong(m.timeDateStamp())));
            }
        }
    }

    private static void list(AnalysisContext context, WindowsKernel kernel, ResultTable table, AnalysisResult result,
            IProgressMonitor monitor) {
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Reading loaded module lists", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue; // System and other processes without a user address space
            }
            Readout<ModuleList> modules = new PebReader(s.layer(), kernel.discovery().profile()).modules(s.process()
                    .peb(), ModuleWalker.Order.LOAD);
            if (!modules.isPresent()) {
                Unavailable why = new Unavailable(modules.reason(), modules.cause());
                table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).setCell(BASE, why)
                        .setCell(SIZE, why).setCell(NAME, why).setCell(PATH, why).setCell(LOAD_COUNT, why).setCell(LINKED, why);
                continue;
            }
            for (WinModule m : modules.get().modules()) {
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(BASE, m
                        .base()).set(SIZE, m.size()).set(LOAD_COUNT, (long) m.loadCount());
                Selected.cell(row, NAME, m.baseName());
                Selected.cell(row, PATH, m.fullName());
                Selected.cell(row, LINKED, LinkTime.read(s.layer(), m.base()));
            }
            modules.get().warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process()
                    .toString(), w)));
        }
    }
}
