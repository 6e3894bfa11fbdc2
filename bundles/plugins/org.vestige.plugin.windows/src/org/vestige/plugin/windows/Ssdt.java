package org.vestige.plugin.windows;

import java.util.NoSuchElementException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.Readout;
import org.vestige.windows.ServiceTable;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.ssdt}: every system service of {@code KeServiceDescriptorTable} — its number, the routine
 * {@code KiServiceTable} dispatches it to, the number of its stack arguments and the module on
 * {@code PsLoadedModuleList} holding the routine — each flagged when the routine lies outside ntoskrnl.
 *
 * @since 0.1
 */
public final class Ssdt implements Analysis {

    public static final Column<Long> INDEX = Column.integer("Index");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<String> MODULE = Column.string("Module");
    public static final Column<Long> STACK_ARGUMENTS = Column.integer("StackArguments");
    public static final Column<Boolean> HOOKED = Column.bool("Hooked");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ModuleList listed;
        try {
            listed = ModuleWalker.loaded(kernel.discovery());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe kernel loader entries: " + e.getMessage());
        }
        Readout<ServiceTable> read = ServiceTable.read(kernel.discovery(), listed);
        if (!read.isPresent()) {
            throw new AnalysisException("the system service table could not be read: " + read.reason());
        }
        ServiceTable ssdt = read.get();
        ResultTable table = ResultTable.of(INDEX, ADDRESS, MODULE, STACK_ARGUMENTS, HOOKED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        for (ServiceTable.Service s : ssdt.services()) {
            Row row = table.addRow().set(INDEX, (long) s.index()).set(ADDRESS, s.target()).set(STACK_ARGUMENTS,
                    (long) s.stackArguments()).set(HOOKED, s.hooked());
            if (s.owner() != null) {
                Selected.cell(row, MODULE, s.owner().baseName());
            } else {
                row.missing(MODULE, "the routine lies in no module on PsLoadedModuleList");
            }
        }
        listed.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "PsLoadedModuleList",
                w)));
        ssdt.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "KiServiceTable", w)));
        result.add(new Diagnostic(Diagnostic.Severity.INFO, "KeServiceDescriptorTable", "at 0x" + Long.toHexString(
                ssdt.descriptor()) + ", found by " + ssdt.foundBy() + "; KiServiceTable at 0x" + Long.toHexString(ssdt
                        .base()) + " with " + ssdt.services().size() + " services"));
        return result;
    }
}
