package org.vestige.plugin.windows;

import java.time.Instant;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.layer.MissingCause;
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
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.PageStates;
import org.vestige.windows.DiscoveryReport;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.SystemClock;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.info}: the result of kernel discovery, the system's clock as the memory was read (a timeline
 * source), then the tree of every attempt, then whether
 * Virtual Secure Mode was running and which memory belongs to VTL1 (see {@link VirtualSecureMode}).
 * Runs even when discovery fails, because then the attempts are the answer.
 *
 * @since 0.1
 */
public final class WindowsInfo implements Analysis {

    public static final Column<String> PROPERTY = Column.string("Property").subject();
    public static final Column<String> VALUE = Column.string("Value");
    /** The image's own clock, on the row {@link #SYSTEM_TIME} only: a timeline source. */
    public static final Column<Instant> TIME = Column.time("Time", TimeMeaning.CAPTURED);

    /** The property of the row holding the system's clock as the memory was read. */
    public static final String SYSTEM_TIME = "System time";

    /** The property of the Virtual Secure Mode row. */
    public static final String VSM = "Virtual Secure Mode";

    /** The property of the row listing the VTL1 processes and their pages. */
    public static final String OUT_OF_REACH = "Out of reach";

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.of(context);
        KernelDiscovery d = kernel.discovery();
        ResultTable table = ResultTable.of(PROPERTY, VALUE, TIME);
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
        exactProfile(table, result, d);
        systemTime(table, d);
        Row selection = table.addRow().set(PROPERTY, "Profile selection").set(VALUE, kernel.notes().size() + " notes");
        for (String n : kernel.notes()) {
            selection.addChild().set(PROPERTY, "note").set(VALUE, n);
        }
        stores(table, kernel);
        Row attempts = table.addRow().set(PROPERTY, "Discovery").set(VALUE, d.complete() ? "complete"
                : "incomplete");
        attempt(attempts, d.report().root());
        if (!d.complete()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "kernel discovery",
                    "incomplete: analyses that need the kernel will not run; see the Discovery rows"));
        }
        secureMode(context, table, result, kernel);
        return result;
    }

    /**
     * Whether the profile used is the kernel's own; when it is not, which one stands in, why, and how to
     * install the kernel's own.
     */
    private static void exactProfile(ResultTable table, AnalysisResult result, KernelDiscovery d) {
        if (d.profile() == null || d.pdb() == null) {
            return;
        }
        if (d.profile().identity().matches(d.pdb().name(), d.pdb().guid(), d.pdb().age())) {
            add(table, "Exact kernel profile", "installed", null);
            return;
        }
        String why = "not installed: no installed profile has PDB " + d.pdb().key() + "; "
                + WindowsKernel.describe(d.profile()) + (d.profile().identity().guid() != null && d.profile()
                        .identity().build() == d.build() ? " (the kernel of the same build with the nearest installed "
                                + "revision)" : "") + " supplies the "
                + "types, and the kernel variables were found without symbols (see the Discovery rows); to add the "
                + "exact kernel, import its ISF with 'vestige profiles.import --isf FILE' (docs/profile-bundles.md)";
        add(table, "Exact kernel profile", why, null);
        result.add(new Diagnostic(Diagnostic.Severity.WARNING, "kernel profile", why));
    }

    /**
     * The backing stores registered with the kernel's translator, by page-file number: the paging
     * files supplied or found in the evidence, and the memory-compression store (or why it is not read).
     */
    private static void stores(ResultTable table, WindowsKernel kernel) {
        List<BackingStore> stores = kernel.stores();
        Row row = table.addRow().set(PROPERTY, "Backing stores").set(VALUE, stores.isEmpty()
                ? "none: pages not in RAM are reported missing" : stores.size() + " registered");
        for (BackingStore s : stores) {
            String size = s.size() > 0 ? String.format(", %,d bytes", s.size()) : "";
            Row store = row.addChild().set(PROPERTY, "page-file number " + s.slot()).set(VALUE, s.name() + size);
            s.problems().forEach(p -> store.addChild().set(PROPERTY, "problem").set(VALUE, p));
        }
        kernel.unavailableStore(PageStates.COMPRESSED).map(MissingCause.StoreUnavailable::why).ifPresent(p -> row.addChild().set(PROPERTY, "compressed store").set(VALUE,
                p));
    }

    /** The Virtual Secure Mode row: the verdict, each indicator by group, then the memory out of reach. */
    private static void secureMode(AnalysisContext context, ResultTable table, AnalysisResult result,
            WindowsKernel kernel) {
        Row row = table.addRow().set(PROPERTY, VSM);
        if (!kernel.discovery().complete()) {
            row.missing(VALUE, "unknown: kernel discovery is incomplete, so nothing could be checked");
            return;
        }
        VirtualSecureMode.Report report;
        try {
            report = VirtualSecureMode.inspect(kernel, SystemHiveIndicators.read(context, kernel));
        } catch (RuntimeException e) {
            row.missing(VALUE, "unknown: the indicators cannot be read: " + e);
            return;
        }
        row.set(VALUE, report.verdict().label() + ": " + report.reason());
        for (String group : List.of("Kernel", "Processes", "Registry")) {
            List<VirtualSecureMode.Indicator> in = report.indicators().stream().filter(i -> i.group().equals(group))
                    .toList();
            Row g = row.addChild().set(PROPERTY, group).set(VALUE, in.size() + " indicators, " + in.stream().filter(
                    i -> i.finding() == VirtualSecureMode.Finding.NOT_CHECKED).count() + " not checked");
            for (VirtualSecureMode.Indicator i : in) {
                g.addChild().set(PROPERTY, i.checked()).set(VALUE, i.finding().label() + ": " + i.detail());
            }
        }
        Row out = row.addChild().set(PROPERTY, OUT_OF_REACH);
        if (report.outOfReach().isEmpty()) {
            out.set(VALUE, report.verdict() == VirtualSecureMode.Verdict.NOT_ACTIVE ? "nothing: no VTL1 memory"
                    : "no Secure System or secure process found");
            return;
        }
        long zeros = report.outOfReach().stream().mapToLong(VirtualSecureMode.OutOfReach::zeroFilled).sum();
        out.set(VALUE, "VTL1 memory (the secure kernel, the private pages of IUM processes) is not in a VTL0 "
                + "acquisition; " + zeros + " pages of the processes below read as all zeros, which is not their data");
        for (VirtualSecureMode.OutOfReach o : report.outOfReach()) {
            WinProcess p = o.process();
            String value = o.pages() == 0 ? "0 user pages mapped in VTL0: its memory is VTL1's"
                    : o.pages() + " user pages: " + o.withData() + " read with data, " + o.zeroFilled()
                            + " read as all zeros (VTL1 pages, not data), " + o.missing() + " missing, " + o
                                    .demandZero() + " demand zero";
            out.addChild().set(PROPERTY, p.name() + " (pid " + p.pid() + ")").set(VALUE, value + (o.secureFlag()
                    ? "; secure process" : "") + (o.note().isEmpty() ? "" : "; " + o.note()));
        }
        if (report.verdict() == VirtualSecureMode.Verdict.ACTIVE) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "virtual secure mode", "VBS was running: "
                    + zeros + " pages of " + report.outOfReach().size() + " VTL1 processes read as zeros; the secure "
                    + "kernel's and IUM processes' memory is not in this image (see the Virtual Secure Mode rows)"));
        }
    }

    /** The row of {@code _KUSER_SHARED_DATA.SystemTime}: where it was read, and the time in {@link #TIME}. */
    private static void systemTime(ResultTable table, KernelDiscovery d) {
        Row row = table.addRow().set(PROPERTY, SYSTEM_TIME);
        if (d.kernel() == null || d.profile() == null) {
            Unavailable why = new Unavailable("no kernel address space and profile to read _KUSER_SHARED_DATA with");
            row.setCell(VALUE, why).setCell(TIME, why);
            return;
        }
        row.set(VALUE, "_KUSER_SHARED_DATA.SystemTime at " + hex(SystemClock.address(d.profile())));
        Selected.cell(row, TIME, SystemClock.read(d.kernel(), d.profile()));
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
