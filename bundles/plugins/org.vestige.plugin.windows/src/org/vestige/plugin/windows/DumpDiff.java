package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.WinModule;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.dumpdiff}: compares a process in the memory image with a minidump of the same process
 * (ProcDump, Task Manager, WinDbg's {@code .dump /ma}), module by module and PE section by section, page
 * by page: which pages match, which differ, which the image lacks (with the image's reason, e.g. paged
 * out to pagefile.sys at an offset) and which the minidump lacks. The result is a tree — module, section,
 * the pages that do not match — with counts on every module and section row.
 *
 * @since 0.1
 */
public final class DumpDiff implements Analysis {

    public static final Column<String> MODULE = Column.string("Module");
    public static final Column<String> SECTION = Column.string("Section");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> STATUS = Column.string("Status");
    public static final Column<Long> MATCHING = Column.integer("Matching");
    public static final Column<Long> DIFFERING = Column.integer("Differing");
    public static final Column<Long> MISSING_IN_IMAGE = Column.integer("MissingInImage");
    public static final Column<Long> MISSING_IN_DUMP = Column.integer("MissingInDump");
    public static final Column<Long> MISSING_IN_BOTH = Column.integer("MissingInBoth");
    public static final Column<PageProvenance> IMAGE = Column.provenance("Image");
    public static final Column<String> DUMP = Column.string("Dump");

    static final String MATCHES = "matches";
    static final String DIFFERS = "differs";
    static final String NOT_IN_IMAGE = "missing from image";
    static final String NOT_IN_DUMP = "missing from dump";
    static final String NOT_IN_EITHER = "missing from both";

    private static final int PAGE = 4096;

    /** A module as either side lists it. */
    private record Module(String name, long base, long size, String listedBy) {
    }

    /** A page range of a module to compare, named after its section. */
    private record Part(String name, long start, long size) {
    }

    /** Page counts by status. */
    private static final class Counts {
        final Map<String, Long> byStatus = new LinkedHashMap<>();

        void add(String status) {
            byStatus.merge(status, 1L, Long::sum);
        }

        void addAll(Counts other) {
            other.byStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
        }

        long get(String status) {
            return byStatus.getOrDefault(status, 0L);
        }

        void fill(Row row) {
            row.set(MATCHING, get(MATCHES)).set(DIFFERING, get(DIFFERS)).set(MISSING_IN_IMAGE, get(NOT_IN_IMAGE)).set(
                    MISSING_IN_DUMP, get(NOT_IN_DUMP)).set(MISSING_IN_BOTH, get(NOT_IN_EITHER));
            long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
            row.set(STATUS, get(MATCHES) == total ? "all " + total + " page(s) match" : (total - get(MATCHES)) + " of "
                    + total + " page(s) do not match");
        }
    }

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        long pid = context.options().number("pid").orElseThrow(() -> new AnalysisException(
                "windows.dumpdiff needs --pid, the process the minidump was taken of"));
        Path dumpFile = context.options().path("minidump").orElseThrow(() -> new AnalysisException(
                "windows.dumpdiff needs --minidump FILE"));
        Selected.Process s = Selected.processes(context, kernel).stream().filter(p -> p.process().pid() == pid)
                .findFirst().orElseThrow(() -> new AnalysisException("no process with pid " + pid
                        + " is on the image's active process list"));
        ResultTable table = ResultTable.of(MODULE, SECTION, ADDRESS, SIZE, STATUS, MATCHING, DIFFERING,
                MISSING_IN_IMAGE, MISSING_IN_DUMP, MISSING_IN_BOTH, IMAGE, DUMP);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        try {
            EvidenceCase.requireReadableFile(dumpFile);
        } catch (EvidenceException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        try (Minidump dump = Minidump.open(dumpFile)) {
            dump.problems().forEach(p -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, dumpFile.getFileName()
                    .toString(), p)));
            dump.miscInfo().flatMap(m -> m.processId().isPresent() ? java.util.Optional.of(m.processId().getAsLong())
                    : java.util.Optional.empty()).filter(id -> id != pid).ifPresent(id -> result.add(new Diagnostic(
                            Diagnostic.Severity.WARNING, dumpFile.getFileName().toString(), "the minidump is of pid "
                                    + id + ", not " + pid)));
            List<Module> modules = modules(s, kernel, dump, result);
            SubMonitor progress = SubMonitor.convert(monitor, "Comparing " + s.process().name() + " with "
                    + dumpFile.getFileName(), modules.size());
            long pagedOut = 0;
            for (Module m : modules) {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                progress.split(1);
                pagedOut += compare(m, s.layer(), dump.memory(), table.addRow(), result);
            }
            if (pagedOut > 0) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, "paging file", pagedOut
                        + " page(s) the minidump has are paged out in the image: supply the paging file taken with the "
                        + "image (--pagefile pagefile.sys) to compare them"));
            }
        } catch (EvidenceException e) {
            throw new AnalysisException("cannot read the minidump " + dumpFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AnalysisException("cannot close " + dumpFile + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** The modules of both sides, paired by base address, in address order. */
    private static List<Module> modules(Selected.Process s, WindowsKernel kernel, Minidump dump,
            AnalysisResult result) {
        String subject = s.process().toString();
        Map<Long, Module> byBase = new LinkedHashMap<>();
        Readout<ModuleList> image = s.process().peb() == 0 ? Readout.missing("the process has no PEB")
                : new PebReader(s.layer(), kernel.discovery().profile()).modules(s.process().peb(),
                        ModuleWalker.Order.LOAD);
        if (image.isPresent()) {
            for (WinModule m : image.get().modules()) {
                String name = m.baseName().isPresent() ? m.baseName().get() : "module at 0x" + Long.toHexString(m
                        .base());
                byBase.put(m.base(), new Module(name, m.base(), m.size(), "image"));
            }
            image.get().warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
        } else {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "the image's module list cannot be read: "
                    + image.reason() + "; comparing the minidump's modules"));
        }
        for (MinidumpModule m : dump.modules()) {
            Module mine = byBase.get(m.baseOfImage());
            if (mine == null) {
                byBase.put(m.baseOfImage(), new Module(m.baseName(), m.baseOfImage(), m.sizeOfImage(), "minidump"));
                if (image.isPresent()) {
                    result.add(new Diagnostic(Diagnostic.Severity.INFO, m.baseName(), "listed by the minidump only"));
                }
            } else {
                byBase.put(m.baseOfImage(), new Module(mine.name(), mine.base(), Math.max(mine.size(), m.sizeOfImage()),
                        "both"));
                if (mine.size() != m.sizeOfImage()) {
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, mine.name(), "SizeOfImage 0x" + Long
                            .toHexString(mine.size()) + " in the image, 0x" + Long.toHexString(m.sizeOfImage())
                            + " in the minidump; comparing the larger"));
                }
            }
        }
        for (Module m : byBase.values()) {
            if (m.listedBy().equals("image")) {
                result.add(new Diagnostic(Diagnostic.Severity.INFO, m.name(), "listed by the image only"));
            }
        }
        List<Module> out = new ArrayList<>(byBase.values());
        out.sort(Comparator.comparing(Module::base, Long::compareUnsigned));
        return out;
    }

    /** Compares one module section by section; returns how many pages the image lacks for want of a paging file. */
    private static long compare(Module m, Layer image, Layer dump, Row row, AnalysisResult result) {
        row.set(MODULE, m.name()).set(ADDRESS, m.base()).set(SIZE, m.size()).set(DUMP, switch (m.listedBy()) {
            case "both" -> "listed by both";
            case "image" -> "not listed by the minidump";
            default -> "not listed by the image";
        });
        List<Part> parts = parts(m, image, dump, result);
        Counts moduleCounts = new Counts();
        long pagedOut = 0;
        byte[] a = new byte[PAGE];
        byte[] b = new byte[PAGE];
        for (Part part : parts) {
            Row sectionRow = row.addChild().set(MODULE, m.name()).set(SECTION, part.name()).set(ADDRESS, m.base()
                    + part.start()).set(SIZE, part.size());
            Counts counts = new Counts();
            for (long off = part.start(); off < part.start() + part.size(); off += PAGE) {
                long va = m.base() + off;
                PageProvenance mine = read(image, va, a);
                PageProvenance theirs = read(dump, va, b);
                String status;
                String detail;
                if (mine.isAvailable() && theirs.isAvailable()) {
                    int differ = 0;
                    int first = -1;
                    for (int i = 0; i < PAGE; i++) {
                        if (a[i] != b[i]) {
                            differ++;
                            first = first < 0 ? i : first;
                        }
                    }
                    status = differ == 0 ? MATCHES : DIFFERS;
                    detail = differ == 0 ? "present" : "present; " + differ + " byte(s) differ, the first at +0x"
                            + Integer.toHexString(first);
                } else if (theirs.isAvailable()) {
                    status = NOT_IN_IMAGE;
                    detail = "present";
                    if (((PageProvenance.Missing) mine).cause() instanceof MissingCause.PagedOut) {
                        pagedOut++;
                    }
                } else if (mine.isAvailable()) {
                    status = NOT_IN_DUMP;
                    detail = "absent: " + ((PageProvenance.Missing) theirs).reason();
                } else {
                    status = NOT_IN_EITHER;
                    detail = "absent: " + ((PageProvenance.Missing) theirs).reason();
                }
                counts.add(status);
                if (!status.equals(MATCHES)) {
                    sectionRow.addChild().set(MODULE, m.name()).set(SECTION, part.name()).set(ADDRESS, va).set(SIZE,
                            (long) PAGE).set(STATUS, status).set(IMAGE, mine).set(DUMP, detail);
                }
            }
            counts.fill(sectionRow);
            moduleCounts.addAll(counts);
        }
        moduleCounts.fill(row);
        return pagedOut;
    }

    /**
     * The module's headers and sections, from the section table of whichever side has the first page
     * (the image first); the whole image as one part when neither has readable headers.
     */
    private static List<Part> parts(Module m, Layer image, Layer dump, AnalysisResult result) {
        byte[] header = new byte[PAGE];
        PeHeaders pe = null;
        String problem = null;
        for (Layer side : List.of(image, dump)) {
            PageProvenance p = read(side, m.base(), header);
            if (!p.isAvailable()) {
                problem = problem == null ? "the header page is missing (" + ((PageProvenance.Missing) p).reason() + ")"
                        : problem;
                continue;
            }
            try {
                pe = PeHeaders.parse(header);
                break;
            } catch (IllegalArgumentException e) {
                problem = "the headers at 0x" + Long.toHexString(m.base()) + " do not parse: " + e.getMessage();
            }
        }
        long size = (m.size() + PAGE - 1) & ~(long) (PAGE - 1);
        if (pe == null) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, m.name(), "no section table in the image or the "
                    + "minidump (" + problem + "); comparing the whole image as one range"));
            return List.of(new Part("(whole image)", 0, size));
        }
        List<Part> parts = new ArrayList<>();
        List<PeHeaders.Section> sections = pe.sections().stream().sorted(Comparator.comparingLong(
                PeHeaders.Section::virtualAddress)).toList();
        long headers = sections.isEmpty() ? Math.max(PAGE, pe.sizeOfHeaders()) : sections.get(0).virtualAddress();
        parts.add(new Part("(headers)", 0, Math.min(size, (headers + PAGE - 1) & ~(long) (PAGE - 1))));
        for (PeHeaders.Section sec : sections) {
            long start = sec.virtualAddress() & ~(long) (PAGE - 1);
            long end = Math.min(size, sec.virtualAddress() + sec.mappedSize());
            if (start >= size || end <= start) {
                result.add(new Diagnostic(Diagnostic.Severity.INFO, m.name(), "section " + sec.name()
                        + " lies outside the image's 0x" + Long.toHexString(m.size()) + " bytes; skipped"));
                continue;
            }
            parts.add(new Part(sec.name(), start, end - start));
        }
        return parts;
    }

    /** Reads one page; returns its provenance (the first unavailable run's when any byte is missing). */
    private static PageProvenance read(Layer layer, long va, byte[] page) {
        Arrays.fill(page, (byte) 0);
        PageProvenance[] seen = new PageProvenance[1];
        layer.read(va, page, 0, PAGE, (a, l, p) -> {
            if (seen[0] == null || (seen[0].isAvailable() && !p.isAvailable())) {
                seen[0] = p;
            }
        });
        return seen[0] != null ? seen[0] : new PageProvenance.Missing(new MissingCause.OutsideImage(),
                "nothing read at 0x" + Long.toHexString(va));
    }
}
