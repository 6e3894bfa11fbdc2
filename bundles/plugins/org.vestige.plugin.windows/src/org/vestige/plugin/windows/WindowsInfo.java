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
import org.vestige.windows.DiscoveryReport;
import org.vestige.windows.KernelDiscovery;

/**
 * {@code windows.info}: the result of kernel discovery, then the tree of every attempt. Runs even
 * when discovery fails, because then the attempts are the answer.
 *
 * @since 0.1
 */
public final class WindowsInfo implements Analysis {

    public static final Column<String> PROPERTY = Column.string("Property");
    public static final Column<String> VALUE = Column.string("Value");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.of(context);
        KernelDiscovery d = kernel.discovery();
        ResultTable table = ResultTable.of(PROPERTY, VALUE);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        add(table, "Kernel base", d.kernelBase() == 0 ? null : hex(d.kernelBase()), "not found");
        add(table, "Kernel size", d.kernelSize() == 0 ? null : hex(d.kernelSize()), "not found");
        add(table, "DTB", d.dtb() == 0 ? null : hex(d.dtb()), "not found");
        add(table, "Self-map index", d.selfMapIndex() < 0 ? null : hex(d.selfMapIndex()), "not found");
        add(table, "Kernel PDB", d.pdb() == null ? null : d.pdb().name() + " " + d.pdb().guid() + "-" + d.pdb().age(),
                "no RSDS record found");
        add(table, "NtBuildNumber", d.build() == 0 ? null : Integer.toString(d.build()), "not found");
        add(table, "KdDebuggerDataBlock", d.kdbg() == 0 ? null : hex(d.kdbg()) + (d.kdbgEncoded() ? " (encoded)"
                : ""), "not found");
        add(table, "PsActiveProcessHead", d.psActiveProcessHead() == 0 ? null : hex(d.psActiveProcessHead()),
                "not found");
        add(table, "PsLoadedModuleList", d.psLoadedModuleList() == 0 ? null : hex(d.psLoadedModuleList()),
                "not found");
        add(table, "Profile", d.profile() == null ? null : WindowsKernel.describe(d.profile()),
                "no profile validated against this image");
        add(table, "Is64Bit", "true", null);
        Row selection = table.addRow().set(PROPERTY, "Profile selection").set(VALUE, kernel.notes().size() + " notes");
        for (String n : kernel.notes()) {
            selection.addChild().set(PROPERTY, "note").set(VALUE, n);
        }
        Row attempts = table.addRow().set(PROPERTY, "Discovery").set(VALUE, d.complete() ? "complete"
                : "incomplete");
        attempt(attempts, d.report().root());
        if (!d.complete()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "kernel discovery",
                    "incomplete: analyses that need the kernel will not run; see the Discovery rows"));
        }
        return result;
    }

    private static void attempt(Row parent, DiscoveryReport.Attempt a) {
        for (DiscoveryReport.Attempt c : a.children()) {
            Row row = parent.addChild().set(PROPERTY, c.step()).set(VALUE, c.outcome().name().toLowerCase(
                    java.util.Locale.ROOT) + (c.detail().isEmpty() ? "" : ": " + c.detail()));
            attempt(row, c);
        }
    }

    private static void add(ResultTable t, String property, String value, String missing) {
        Row r = t.addRow().set(PROPERTY, property);
        if (value != null) {
            r.set(VALUE, value);
        } else {
            r.missing(VALUE, missing);
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
