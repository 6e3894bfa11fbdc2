package org.vestige.plugin.windows;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

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
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinModule;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.ldrmodules}: every image mapped into each process (its image VADs) against the three
 * loader lists of its PEB — load order, initialization order, memory order. A DLL the loader loaded is on
 * all three (the executable is never on the initialization-order list); one mapped as an image but missing
 * from a list it belongs on was unlinked, the way code hides a DLL from tools that read the lists.
 *
 * @since 0.1
 */
public final class LdrModules implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> BASE = Column.address("Base");
    public static final Column<Boolean> IN_LOAD = Column.bool("InLoad");
    public static final Column<Boolean> IN_INIT = Column.bool("InInit");
    public static final Column<Boolean> IN_MEM = Column.bool("InMem");
    public static final Column<Boolean> UNLINKED = Column.bool("Unlinked");
    public static final Column<String> MAPPED_PATH = Column.string("MappedPath");

    private static final Map<ModuleWalker.Order, Column<Boolean>> LISTS = Map.of(ModuleWalker.Order.LOAD, IN_LOAD,
            ModuleWalker.Order.INITIALIZATION, IN_INIT, ModuleWalker.Order.MEMORY, IN_MEM);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, BASE, IN_LOAD, IN_INIT, IN_MEM, UNLINKED, MAPPED_PATH);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        VadWalker vads;
        try {
            vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe VADs: " + e.getMessage());
        }
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing image VADs with the loader lists",
                processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue; // no user address space: nothing is loaded
            }
            String subject = s.process().toString();
            VadList list = vads.walk(s.process().eprocess());
            list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            PebReader peb = new PebReader(s.layer(), kernel.discovery().profile());
            Map<ModuleWalker.Order, Readout<Set<Long>>> bases = new EnumMap<>(ModuleWalker.Order.class);
            for (ModuleWalker.Order order : ModuleWalker.Order.values()) {
                bases.put(order, bases(peb, s.process().peb(), order, subject, result));
            }
            long exe = peb.imageBase(s.process().peb()).orElse(-1L);
            for (WinVad v : list.vads()) {
                if (v.image()) {
                    row(table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(BASE, v
                            .start()), v, bases, v.start() == exe);
                }
            }
        }
        return result;
    }

    private static void row(Row row, WinVad v, Map<ModuleWalker.Order, Readout<Set<Long>>> bases,
            boolean executable) {
        boolean missing = false;
        Readout<Set<Long>> unknown = null;
        for (Map.Entry<ModuleWalker.Order, Readout<Set<Long>>> e : bases.entrySet()) {
            Column<Boolean> column = LISTS.get(e.getKey());
            Readout<Set<Long>> list = e.getValue();
            if (!list.isPresent()) {
                row.setCell(column, new Unavailable(list.reason(), list.cause()));
                unknown = list;
                continue;
            }
            boolean on = list.get().contains(v.start());
            row.set(column, on);
            // the loader never puts the executable on the initialization-order list
            missing |= !on && !(executable && e.getKey() == ModuleWalker.Order.INITIALIZATION);
        }
        if (missing || unknown == null) {
            row.set(UNLINKED, missing);
        } else {
            row.setCell(UNLINKED, new Unavailable(unknown.reason(), unknown.cause()));
        }
        if (v.file() != null) {
            Selected.cell(row, MAPPED_PATH, v.file());
        } else {
            row.setCell(MAPPED_PATH, new Unavailable("the image VAD names no file"));
        }
    }

    /** @return the DllBase of every module on one loader list, or why the list cannot be read */
    private static Readout<Set<Long>> bases(PebReader peb, long pebVa, ModuleWalker.Order order, String subject,
            AnalysisResult result) {
        Readout<ModuleList> list;
        try {
            list = peb.modules(pebVa, order);
        } catch (NoSuchElementException e) {
            return Readout.missing(e.getMessage());
        }
        return list.map(l -> {
            l.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            Set<Long> out = new HashSet<>();
            for (WinModule m : l.modules()) {
                out.add(m.base());
            }
            return out;
        });
    }
}
