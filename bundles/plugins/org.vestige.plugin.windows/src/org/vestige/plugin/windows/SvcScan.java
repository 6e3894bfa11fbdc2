package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.registry.MemoryHives;
import org.vestige.registry.ServiceKeys;
import org.vestige.windows.ServiceLayout;
import org.vestige.windows.ServiceRecord;
import org.vestige.windows.ServiceScan;
import org.vestige.windows.ServiceScanner;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.svcscan}: the services the Service Control Manager holds in {@code services.exe} — name,
 * display name, type, start type, state, binary path and process id — compared with the Services key of the
 * SYSTEM hive in memory, each service found in only one of the two flagged.
 *
 * @since 0.1
 */
public final class SvcScan implements Analysis {

    public static final Column<Long> OFFSET = Column.address("Offset");
    public static final Column<Long> ORDER = Column.integer("Order");
    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> NAME = Column.string("ServiceName");
    public static final Column<String> DISPLAY = Column.string("DisplayName");
    public static final Column<String> TYPE = Column.string("Type");
    public static final Column<String> START = Column.string("Start");
    public static final Column<String> STATE = Column.string("State");
    public static final Column<String> BINARY = Column.string("BinaryPath");
    public static final Column<String> IMAGE_PATH = Column.string("ImagePath");
    public static final Column<String> REGISTRY = Column.string("Registry");

    /** {@link #REGISTRY} of a service both in memory and in the registry. */
    public static final String BOTH = "both";
    /** {@link #REGISTRY} of a service in services.exe's memory that the Services key does not hold. */
    public static final String MEMORY_ONLY = "memory only";
    /** {@link #REGISTRY} of a service of the Services key that services.exe does not hold. */
    public static final String REGISTRY_ONLY = "registry only";

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        int build = kernel.discovery().build();
        ServiceLayout layout = ServiceLayout.forBuild(build).orElseThrow(() -> new AnalysisException(
                "no service record layout is known for build " + build + " (known: " + ServiceLayout.knownBuilds()
                        + ")"));
        ResultTable table = ResultTable.of(OFFSET, ORDER, PID, NAME, DISPLAY, TYPE, START, STATE, BINARY, IMAGE_PATH,
                REGISTRY);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        List<WinProcess> scm = kernel.processes().processes().stream().filter(p -> p.name().equalsIgnoreCase(
                "services.exe") && p.peb() != 0).toList();
        SubMonitor progress = SubMonitor.convert(monitor, "Scanning services.exe for service records", scm.size()
                + 1);
        List<ServiceRecord> records = new ArrayList<>();
        VadWalker vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        for (WinProcess p : scm) {
            SubMonitor one = progress.split(1);
            VadList list = vads.walk(p.eprocess());
            list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), w)));
            ServiceScan scan = new ServiceScanner(kernel.processLayers().layer(p), layout, p.toString()).scan(list
                    .vads(), one::isCanceled);
            scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), w)));
            if (scan.headers().isEmpty()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), "no service header ("
                        + layout.headerTag() + ") found in " + scan.pages() + " pages"));
            }
            records.addAll(scan.records());
        }
        if (scm.isEmpty()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "services.exe", "no services.exe with a user "
                    + "address space is on the process list"));
        }
        progress.split(1);
        ServiceKeys.Readable registry = scm.isEmpty() ? new ServiceKeys.Readable(null,
                "there is no services.exe to compare with") : registry(context);
        if (registry.keys() == null) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "SYSTEM\\Services", "the services in memory "
                    + "were not compared with the registry: " + registry.why()));
        } else {
            registry.keys().notes().forEach(n -> result.add(new Diagnostic(Diagnostic.Severity.WARNING,
                    "SYSTEM\\Services", n)));
        }
        Set<String> inMemory = new HashSet<>();
        for (ServiceRecord r : records) {
            Row row = table.addRow().set(OFFSET, r.address()).set(ORDER, r.order()).set(TYPE, ServiceRecord.typeName(r
                    .type())).set(START, ServiceRecord.startName(r.start())).set(STATE, ServiceRecord.stateName(r
                            .state()));
            Selected.cell(row, PID, r.pid());
            Selected.cell(row, NAME, r.name());
            Selected.cell(row, DISPLAY, r.displayName());
            Selected.cell(row, BINARY, r.binaryPath());
            if (r.name().isPresent()) {
                inMemory.add(r.name().get().toLowerCase(Locale.ROOT));
            }
            compare(row, r, registry, result);
        }
        if (registry.keys() != null) {
            for (ServiceKeys.ServiceKey k : registry.keys().all()) {
                if (!inMemory.contains(k.name().toLowerCase(Locale.ROOT))) {
                    registryOnly(table, k, registry.keys().path(), result);
                }
            }
        }
        return result;
    }

    /** Fills the registry columns of a record's row and flags a service the registry does not hold. */
    private static void compare(Row row, ServiceRecord r, ServiceKeys.Readable registry, AnalysisResult result) {
        if (registry.keys() == null) {
            String why = "not compared: " + registry.why();
            row.missing(IMAGE_PATH, why).missing(REGISTRY, why);
            return;
        }
        if (!r.name().isPresent()) {
            String why = "not compared: the record's name cannot be read";
            row.missing(IMAGE_PATH, why).missing(REGISTRY, why);
            return;
        }
        Optional<ServiceKeys.ServiceKey> key = registry.keys().find(r.name().get());
        if (key.isEmpty()) {
            row.missing(IMAGE_PATH, "no key " + registry.keys().path() + "\\" + r.name().get()).set(REGISTRY,
                    MEMORY_ONLY);
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, r.name().get(), "service in services.exe's memory"
                    + " (record at 0x" + Long.toHexString(r.address()) + ") but not in SYSTEM\\" + registry.keys()
                            .path()));
            return;
        }
        if (key.get().imagePath() != null) {
            row.set(IMAGE_PATH, key.get().imagePath());
        } else {
            row.missing(IMAGE_PATH, "the key has no ImagePath value");
        }
        row.set(REGISTRY, BOTH);
    }

    /** Adds the row of a service of the Services key that no record in memory names, and flags it. */
    private static void registryOnly(ResultTable table, ServiceKeys.ServiceKey k, String path,
            AnalysisResult result) {
        String absent = "not in services.exe's memory";
        Row row = table.addRow().missing(OFFSET, absent).missing(ORDER, absent).missing(PID, absent).set(NAME, k
                .name()).set(TYPE, ServiceRecord.typeName(k.type())).missing(STATE, absent).missing(BINARY, absent)
                .set(REGISTRY, REGISTRY_ONLY);
        if (k.displayName() != null) {
            row.set(DISPLAY, k.displayName());
        } else {
            row.missing(DISPLAY, "the key has no DisplayName value");
        }
        if (k.start() >= 0) {
            row.set(START, ServiceRecord.startName(k.start()));
        } else {
            row.missing(START, "the key has no Start value");
        }
        if (k.imagePath() != null) {
            row.set(IMAGE_PATH, k.imagePath());
        } else {
            row.missing(IMAGE_PATH, "the key has no ImagePath value");
        }
        result.add(new Diagnostic(Diagnostic.Severity.WARNING, k.name(), "service in SYSTEM\\" + path
                + " but not in services.exe's memory"));
    }

    /** @return the services of the SYSTEM hive in memory, or why they cannot be read */
    private static ServiceKeys.Readable registry(AnalysisContext context) {
        try {
            return ServiceKeys.of(MemoryHives.of(context));
        } catch (AnalysisException | RuntimeException e) {
            return new ServiceKeys.Readable(null, "the hives in memory cannot be listed: " + e.getMessage());
        }
    }
}
