package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceHasher;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.plugin.OutputPaths;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.windows.DumpComparison;
import org.vestige.windows.DumpComparison.Status;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code case.import}: builds a case from the folder Vestige's acquisition kit brought back from a live
 * machine. It verifies every file the manifest lists against its SHA-256, opens the memory image with the
 * paging files collected with it, extracts each process dump from its 7z archive (bounded: see
 * {@link DumpArchive}), matches the dump to its process in the image by pid and creation time, and compares
 * the two page by page ({@link DumpComparison}): which pages the image lacked that the dump supplies, and
 * which differ. One row per file and per process of the image; a process dump's row has a child per page
 * that the image lacks or holds differently. A file whose hash does not match is an integrity failure.
 *
 * @since 0.1
 */
public final class CaseImport implements Analysis {

    public static final Column<String> STEP = Column.string("Step");
    public static final Column<String> PATH = Column.string("Path");
    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Instant> CREATE_TIME = Column.time("CreateTime");
    public static final Column<String> STATUS = Column.string("Status");
    public static final Column<Long> MATCHING = Column.integer("Matching");
    public static final Column<Long> DIFFERING = Column.integer("Differing");
    public static final Column<Long> MISSING_IN_IMAGE = Column.integer("MissingInImage");
    public static final Column<Long> MISSING_IN_DUMP = Column.integer("MissingInDump");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<PageProvenance> IMAGE = Column.provenance("Image");
    public static final Column<String> DETAIL = Column.string("Detail");

    static final String VERIFIED = "verified";
    static final String HASH_MISMATCH = "hash mismatch";
    static final String ABSENT = "absent from the folder";
    static final String COMPLETE = "imported: the image's copy is complete";
    static final String INCOMPLETE = "imported: the image's copy is incomplete";
    static final String DAMAGED = "damaged archive";
    static final String REFUSED = "refused";
    static final String NO_DUMP = "no dump";
    static final String UNMATCHED = "not matched to a process of the image";

    /** Creation times of a dump and the image agree when this close (WMI gives microseconds, the kernel 100 ns). */
    private static final Duration SAME_START = Duration.ofMillis(1);

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        Path folder = context.options().path("folder").orElseThrow(() -> new AnalysisException(
                "case.import needs --folder, the folder the acquisition kit wrote")).toAbsolutePath().normalize();
        long limit = context.options().number("max-entry-mib").orElse(65536L) << 20;
        ResultTable table = ResultTable.of(STEP, PATH, PID, PROCESS, CREATE_TIME, STATUS, MATCHING, DIFFERING,
                MISSING_IN_IMAGE, MISSING_IN_DUMP, ADDRESS, IMAGE, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        CollectionManifest manifest;
        try {
            manifest = CollectionManifest.read(folder);
        } catch (NoSuchFileException e) {
            throw new AnalysisException(folder + " has no " + CollectionManifest.FILE
                    + ": give the folder the acquisition kit wrote", e);
        } catch (IOException e) {
            throw new AnalysisException("cannot read " + folder.resolve(CollectionManifest.FILE) + ": " + e
                    .getMessage(), e);
        }
        manifest.problems().forEach(p -> result.add(new Diagnostic(Diagnostic.Severity.WARNING,
                CollectionManifest.FILE, p)));
        List<CollectionManifest.Entry> memory = manifest.files("memory");
        if (memory.size() != 1) {
            throw new AnalysisException(CollectionManifest.FILE + " lists " + memory.size()
                    + " memory images; a collection holds one");
        }
        List<CollectionManifest.Entry> paging = new ArrayList<>(manifest.files("pagefile"));
        paging.addAll(manifest.files("swapfile"));
        List<CollectionManifest.Entry> dumps = manifest.entries().stream().filter(CollectionManifest.Entry::isDump)
                .toList();
        SubMonitor progress = SubMonitor.convert(monitor, "Importing " + folder, 10 + dumps.size());
        try (AnalysisSession session = new AnalysisSession(open(folder, memory.get(0), paging, context, progress
                .split(10)), context.extensions(), context.settings())) {
            EvidenceCase evidence = session.evidenceCase().orElseThrow();
            verified(table.addRow(), memory.get(0), evidence.image(), result);
            for (int i = 0; i < paging.size(); i++) {
                verified(table.addRow(), paging.get(i), evidence.pagefiles().get(i).record(), result);
            }
            WindowsKernel kernel = WindowsKernel.require(session, context.plugin().id());
            Set<Long> accounted = new HashSet<>();
            List<String> incomplete = new ArrayList<>();
            for (CollectionManifest.Entry e : manifest.entries()) {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                if (!e.step().equals("process-dump")) {
                    continue;
                }
                e.pid().ifPresent(accounted::add);
                Row row = table.addRow().set(STEP, e.step()).set(PROCESS, e.process()).set(CREATE_TIME, e
                        .createTime());
                e.pid().ifPresent(pid -> row.set(PID, pid));
                if (e.path() == null) {
                    row.set(STATUS, REFUSED).set(DETAIL, e.refused());
                    continue;
                }
                row.set(PATH, e.path());
                Optional<String> status = importDump(folder, e, kernel, context, limit, row, result, progress.split(
                        1));
                status.filter(INCOMPLETE::equals).ifPresent(s -> incomplete.add(e.process() + " (pid " + e.pid()
                        .getAsLong() + ")"));
            }
            for (WinProcess p : kernel.processes().processes()) {
                if (!accounted.contains(p.pid())) {
                    table.addRow().set(STEP, "process-dump").set(PID, p.pid()).set(PROCESS, p.name()).set(
                            CREATE_TIME, p.createTime()).set(STATUS, NO_DUMP).set(DETAIL, "the manifest has neither "
                                    + "a dump of this process nor the script's refusal to dump it");
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), "no dump was collected"));
                }
            }
            result.add(new Diagnostic(Diagnostic.Severity.INFO, folder.getFileName().toString(), incomplete
                    .isEmpty() ? "every process dump matched the image's copy of its pages" : "the image's copy of "
                            + String.join(", ", incomplete) + " was incomplete: their dumps supply pages the image "
                            + "lacked or held with other bytes"));
        } catch (IOException e) {
            throw new AnalysisException("cannot close the case of " + folder + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** Opens the image with the paging files collected with it, hashing each as it opens. */
    private static EvidenceCase open(Path folder, CollectionManifest.Entry memory, List<CollectionManifest.Entry> paging,
            AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        List<PagefileSpec> specs = new ArrayList<>();
        for (CollectionManifest.Entry e : paging) {
            specs.add(new PagefileSpec(-1, inFolder(folder, e)));
        }
        try {
            return EvidenceCase.open(inFolder(folder, memory), specs, context.extensions().formats(),
                    EvidenceCase.Options.defaults().withHash(true), monitor);
        } catch (EvidenceException e) {
            throw new AnalysisException("the collected evidence does not open: " + e.getMessage(), e);
        }
    }

    /** A manifest path resolved in the folder; refused when it would leave it. */
    private static Path inFolder(Path folder, CollectionManifest.Entry e) throws AnalysisException {
        return OutputPaths.resolve(folder, e.path().replace('\\', '/'));
    }

    /** Fills a memory or paging-file row: whether the digest the case took matches the manifest's. */
    private static void verified(Row row, CollectionManifest.Entry e, EvidenceRecord record, AnalysisResult result) {
        String computed = record.hashes().map(d -> d.sha256()).orElse(null);
        row.set(STEP, e.step()).set(PATH, e.path());
        check(row, e, computed, result);
    }

    /** Compares a computed SHA-256 with the manifest's; a mismatch is an integrity failure. */
    private static boolean check(Row row, CollectionManifest.Entry e, String computed, AnalysisResult result) {
        if (e.sha256().equalsIgnoreCase(computed)) {
            row.set(STATUS, VERIFIED).set(DETAIL, "SHA-256 " + computed);
            return true;
        }
        row.set(STATUS, HASH_MISMATCH).set(DETAIL, "SHA-256 " + computed + ", the manifest says " + e.sha256());
        result.add(new Diagnostic(Diagnostic.Severity.ERROR, e.path(), "SHA-256 " + computed
                + " does not match the manifest's " + e.sha256() + " (line " + e.line() + "): the file changed since "
                + "it was collected"));
        result.outcome(AnalysisResult.Outcome.INTEGRITY_FAILURE);
        return false;
    }

    /**
     * Verifies, extracts, matches and compares one dump, filling its row.
     *
     * @return the row's status when the dump was compared
     */
    private static Optional<String> importDump(Path folder, CollectionManifest.Entry e, WindowsKernel kernel,
            AnalysisContext context, long limit, Row row, AnalysisResult result, IProgressMonitor monitor)
            throws AnalysisException {
        Path archive = inFolder(folder, e);
        if (!Files.isRegularFile(archive)) {
            row.set(STATUS, ABSENT);
            result.add(new Diagnostic(Diagnostic.Severity.ERROR, e.path(), "listed in the manifest (line " + e.line()
                    + ") but not in the folder"));
            return Optional.empty();
        }
        if (!check(row, e, sha256(archive, monitor), result)) {
            return Optional.empty();
        }
        Path into = context.outputFile("dumps/" + archive.getFileName().toString().replaceFirst("(?i)\\.7z$", ""));
        List<Path> extracted;
        try {
            extracted = DumpArchive.extract(archive, into, limit);
        } catch (DumpArchive.DamagedArchiveException x) {
            row.set(STATUS, DAMAGED).set(DETAIL, x.getMessage());
            result.add(new Diagnostic(Diagnostic.Severity.ERROR, e.path(), x.getMessage()));
            return Optional.empty();
        }
        if (extracted.size() != 1) {
            row.set(STATUS, DAMAGED).set(DETAIL, "holds " + extracted.size() + " files; a dump archive holds one");
            result.add(new Diagnostic(Diagnostic.Severity.ERROR, e.path(), "holds " + extracted.size() + " files"));
            return Optional.empty();
        }
        Optional<WinProcess> process = kernel.processes().processes().stream().filter(p -> e.pid().isPresent() && p
                .pid() == e.pid().getAsLong() && sameStart(p.createTime(), e.createTime())).findFirst();
        if (process.isEmpty()) {
            row.set(STATUS, UNMATCHED).set(DETAIL, "no process of the image has pid " + (e.pid().isPresent() ? e.pid()
                    .getAsLong() : "?") + " and creation time " + e.createTime());
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, e.path(), "matches no process of the image"));
            return Optional.empty();
        }
        WinProcess p = process.get();
        try (Minidump dump = Minidump.open(extracted.get(0))) {
            DumpComparison.Result r = DumpComparison.compare(p, kernel.processLayers().layer(p), kernel.discovery()
                    .profile(), dump, new MonitoredScan(monitor, "Comparing " + p.name() + " with its dump"));
            r.notes().stream().filter(DumpComparison.Note::warning).forEach(n -> result.add(new Diagnostic(
                    Diagnostic.Severity.WARNING, p + ": " + n.subject(), n.text())));
            DumpComparison.Counts c = r.counts();
            String status = c.imageIncomplete() ? INCOMPLETE : COMPLETE;
            row.set(STATUS, status).set(MATCHING, c.get(Status.MATCHES)).set(DIFFERING, c.get(Status.DIFFERS)).set(
                    MISSING_IN_IMAGE, c.get(Status.NOT_IN_IMAGE)).set(MISSING_IN_DUMP, c.get(Status.NOT_IN_DUMP)
                            + c.get(Status.NOT_IN_EITHER)).set(DETAIL, "extracted to " + extracted.get(0));
            pages(r, row, e);
            return Optional.of(status);
        } catch (CancellationException x) {
            throw new OperationCanceledException();
        } catch (EvidenceException | IOException x) {
            row.set(STATUS, DAMAGED).set(DETAIL, "the extracted dump does not read: " + x.getMessage());
            result.add(new Diagnostic(Diagnostic.Severity.ERROR, e.path(), x.getMessage()));
            return Optional.empty();
        }
    }

    /** A child row for each page the image lacks or holds differently. */
    private static void pages(DumpComparison.Result r, Row row, CollectionManifest.Entry e) {
        for (DumpComparison.Module m : r.modules()) {
            for (DumpComparison.Section s : m.sections()) {
                for (DumpComparison.Page p : s.unmatched()) {
                    if (p.status() == Status.DIFFERS || p.status() == Status.NOT_IN_IMAGE) {
                        row.addChild().set(STEP, e.step()).set(PATH, e.path()).set(PROCESS, e.process()).set(PID, e
                                .pid().getAsLong()).set(ADDRESS, p.va()).set(STATUS, p.status().text()).set(IMAGE, p
                                        .image()).set(DETAIL, m.name() + " " + s.name() + ": " + p.detail());
                    }
                }
            }
        }
    }

    private static boolean sameStart(Instant image, Instant dump) {
        return image != null && dump != null && Duration.between(image, dump).abs().compareTo(SAME_START) < 0;
    }

    private static String sha256(Path file, IProgressMonitor monitor) throws AnalysisException {
        try {
            return EvidenceHasher.hash(file, monitor).sha256();
        } catch (IOException e) {
            throw new AnalysisException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
