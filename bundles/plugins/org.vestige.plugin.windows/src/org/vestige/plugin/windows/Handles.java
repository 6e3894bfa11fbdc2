package org.vestige.plugin.windows;

import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

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
import org.vestige.windows.HandleList;
import org.vestige.windows.HandleTableWalker;
import org.vestige.windows.ObjectManager;
import org.vestige.windows.ObjectTypeTable;
import org.vestige.windows.Readout;
import org.vestige.windows.WinHandle;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.handles}: each process's open handles from its handle table — the handle value, the
 * object, its type, the access granted and the name it is known by.
 *
 * @since 0.1
 */
public final class Handles implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> HANDLE = Column.address("HandleValue");
    public static final Column<Long> OBJECT = Column.address("Object");
    public static final Column<String> TYPE = Column.string("Type");
    public static final Column<Long> ACCESS = Column.address("GrantedAccess");
    public static final Column<String> NAME = Column.string("Name");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, HANDLE, OBJECT, TYPE, ACCESS, NAME);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        Set<String> only = context.options().has("type") ? context.options().all("type", String.class).stream()
                .map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()) : Set.of();
        ObjectManager objects;
        HandleTableWalker walker;
        try {
            objects = kernel.objects();
            walker = new HandleTableWalker(objects);
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe handle tables: " + e.getMessage());
        }
        Readout<ObjectTypeTable> types = objects.types();
        if (!types.isPresent()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "ObTypeIndexTable", "object types cannot be told: "
                    + types.reason()));
        } else if (!only.isEmpty()) {
            Set<String> known = types.get().names().values().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(
                    Collectors.toSet());
            only.stream().filter(t -> !known.contains(t)).forEach(t -> result.add(new Diagnostic(
                    Diagnostic.Severity.WARNING, "--type", "the kernel has no object type '" + t + "'")));
        }
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Walking handle tables", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            HandleList list = walker.walk(s.process());
            for (HandleList.Unreadable u : list.unreadable()) {
                Unavailable why = new Unavailable(u.reason(), u.cause());
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name());
                if (u.firstValue() >= 0) {
                    row.set(HANDLE, u.firstValue());
                } else {
                    row.setCell(HANDLE, why);
                }
                row.setCell(OBJECT, why).setCell(TYPE, why).setCell(ACCESS, why).setCell(NAME, why);
            }
            for (WinHandle h : list.handles()) {
                if (!only.isEmpty() && !(h.type().isPresent() && only.contains(h.type().get().toLowerCase(
                        Locale.ROOT)))) {
                    continue;
                }
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(HANDLE, h
                        .value()).set(OBJECT, h.object()).set(ACCESS, h.access());
                Selected.cell(row, TYPE, h.type());
                Selected.cell(row, NAME, h.name());
            }
            list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process()
                    .toString(), w)));
        }
        return result;
    }
}
