package org.vestige.windows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ScanProgress;
import org.vestige.core.types.Profile;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpModule;

/**
 * Compares a process as the memory image holds it with a minidump of the same process (ProcDump
 * {@code -ma}, Task Manager, WinDbg's {@code .dump /ma}), module by module and PE section by section,
 * page by page: which pages match, which differ, which the image lacks (with the image's reason, e.g.
 * paged out to pagefile.sys at an offset) and which the minidump lacks. Reads go through the process's
 * layer, so pages the image holds in a paging file or the compression store count as present when
 * their store is supplied.
 *
 * @since 0.1
 */
public final class DumpComparison {

    private static final int PAGE = 4096;

    /** How one page compares. */
    public enum Status {
        MATCHES("matches"), DIFFERS("differs"), NOT_IN_IMAGE("missing from image"), NOT_IN_DUMP(
                "missing from dump"), NOT_IN_EITHER("missing from both");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        /** @return the status as results show it */
        public String text() {
            return text;
        }
    }

    /** Where a module was listed. */
    public enum ListedBy {
        BOTH, IMAGE, DUMP
    }

    /** Page counts by status. */
    public static final class Counts {
        private final Map<Status, Long> byStatus = new EnumMap<>(Status.class);

        void add(Status status) {
            byStatus.merge(status, 1L, Long::sum);
        }

        void addAll(Counts other) {
            other.byStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
        }

        /** @return the pages with {@code status} */
        public long get(Status status) {
            return byStatus.getOrDefault(status, 0L);
        }

        /** @return all pages counted */
        public long total() {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        /** @return whether the image lacks or holds other bytes for a page the minidump has */
        public boolean imageIncomplete() {
            return get(Status.NOT_IN_IMAGE) + get(Status.DIFFERS) > 0;
        }
    }

    /**
     * A page that does not match.
     *
     * @param image  where the image has the page, or why it does not
     * @param detail what the minidump holds ({@code present}, the differing bytes, or why it is absent)
     */
    public record Page(long va, Status status, PageProvenance image, String detail) {
    }

    /** A module's headers or one of its sections, with the pages in it that do not match. */
    public record Section(String name, long va, long size, Counts counts, List<Page> unmatched) {
    }

    /** A module either side lists, with its parts. */
    public record Module(String name, long base, long size, ListedBy listedBy, Counts counts,
            List<Section> sections) {
    }

    /** Something about the comparison worth saying, about {@code subject}. */
    public record Note(boolean warning, String subject, String text) {
    }

    /**
     * The comparison of one process.
     *
     * @param pagedOut pages the minidump has that the image holds in a paging file not supplied
     */
    public record Result(List<Module> modules, List<Note> notes, Counts counts, long pagedOut) {
    }

    private record Candidate(String name, long base, long size, ListedBy listedBy) {
    }

    private DumpComparison() {
    }

    /**
     * Compares {@code process}, read through {@code layer}, with {@code dump}.
     *
     * @param profile  the kernel's profile, to read the process's module list from its PEB
     * @param progress reports one unit per module
     * @throws CancellationException when {@code progress} is cancelled
     */
    public static Result compare(WinProcess process, Layer layer, Profile profile,
            Minidump dump, ScanProgress progress) {
        List<Note> notes = new ArrayList<>();
        dump.problems().forEach(p -> notes.add(new Note(true, "minidump", p)));
        dump.miscInfo().flatMap(m -> m.processId().isPresent() ? Optional.of(m.processId().getAsLong())
                : Optional.empty()).filter(id -> id != process.pid()).ifPresent(id -> notes.add(new Note(true,
                        "minidump", "the minidump is of pid " + id + ", not " + process.pid())));
        List<Candidate> candidates = modules(process, layer, profile, dump, notes);
        progress.begin(candidates.size());
        List<Module> modules = new ArrayList<>();
        Counts all = new Counts();
        long[] pagedOut = {0};
        for (Candidate c : candidates) {
            if (progress.isCanceled()) {
                throw new CancellationException("comparing " + process + " with its minidump");
            }
            Module m = compare(c, layer, dump.memory(), notes, pagedOut);
            progress.worked(1);
            all.addAll(m.counts());
            modules.add(m);
        }
        progress.done();
        return new Result(List.copyOf(modules), List.copyOf(notes), all, pagedOut[0]);
    }

    /** The modules of both sides, paired by base address, in address order. */
    private static List<Candidate> modules(WinProcess process, Layer layer, Profile profile,
            Minidump dump, List<Note> notes) {
        String subject = process.toString();
        Map<Long, Candidate> byBase = new LinkedHashMap<>();
        Readout<ModuleList> image = process.peb() == 0 ? Readout.missing("the process has no PEB")
                : new PebReader(layer, profile).modules(process.peb(), ModuleWalker.Order.LOAD);
        if (image.isPresent()) {
            for (WinModule m : image.get().modules()) {
                String name = m.baseName().isPresent() ? m.baseName().get() : "module at 0x" + Long.toHexString(m
                        .base());
                byBase.put(m.base(), new Candidate(name, m.base(), m.size(), ListedBy.IMAGE));
            }
            image.get().warnings().forEach(w -> notes.add(new Note(true, subject, w)));
        } else {
            notes.add(new Note(true, subject, "the image's module list cannot be read: " + image.reason()
                    + "; comparing the minidump's modules"));
        }
        for (MinidumpModule m : dump.modules()) {
            Candidate mine = byBase.get(m.baseOfImage());
            if (mine == null) {
                byBase.put(m.baseOfImage(), new Candidate(m.baseName(), m.baseOfImage(), m.sizeOfImage(),
                        ListedBy.DUMP));
                if (image.isPresent()) {
                    notes.add(new Note(false, m.baseName(), "listed by the minidump only"));
                }
            } else {
                byBase.put(m.baseOfImage(), new Candidate(mine.name(), mine.base(), Math.max(mine.size(), m
                        .sizeOfImage()), ListedBy.BOTH));
                if (mine.size() != m.sizeOfImage()) {
                    notes.add(new Note(true, mine.name(), "SizeOfImage 0x" + Long.toHexString(mine.size())
                            + " in the image, 0x" + Long.toHexString(m.sizeOfImage())
                            + " in the minidump; comparing the larger"));
                }
            }
        }
        for (Candidate m : byBase.values()) {
            if (m.listedBy() == ListedBy.IMAGE) {
                notes.add(new Note(false, m.name(), "listed by the image only"));
            }
        }
        List<Candidate> out = new ArrayList<>(byBase.values());
        out.sort(Comparator.comparing(Candidate::base, Long::compareUnsigned));
        return out;
    }

    /** Compares one module section by section, counting in {@code pagedOut} pages a paging file would supply. */
    private static Module compare(Candidate m, Layer image, Layer dump, List<Note> notes, long[] pagedOut) {
        Counts moduleCounts = new Counts();
        List<Section> sections = new ArrayList<>();
        byte[] a = new byte[PAGE];
        byte[] b = new byte[PAGE];
        for (Section part : parts(m, image, dump, notes)) {
            Counts counts = new Counts();
            List<Page> unmatched = new ArrayList<>();
            for (long va = part.va(); va < part.va() + part.size(); va += PAGE) {
                PageProvenance mine = read(image, va, a);
                PageProvenance theirs = read(dump, va, b);
                Status status;
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
                    status = differ == 0 ? Status.MATCHES : Status.DIFFERS;
                    detail = differ == 0 ? "present" : "present; " + differ + " byte(s) differ, the first at +0x"
                            + Integer.toHexString(first);
                } else if (theirs.isAvailable()) {
                    status = Status.NOT_IN_IMAGE;
                    detail = "present";
                    if (((PageProvenance.Missing) mine).cause() instanceof MissingCause.PagedOut) {
                        pagedOut[0]++;
                    }
                } else {
                    status = mine.isAvailable() ? Status.NOT_IN_DUMP : Status.NOT_IN_EITHER;
                    detail = "absent: " + ((PageProvenance.Missing) theirs).reason();
                }
                counts.add(status);
                if (status != Status.MATCHES) {
                    unmatched.add(new Page(va, status, mine, detail));
                }
            }
            moduleCounts.addAll(counts);
            sections.add(new Section(part.name(), part.va(), part.size(), counts, List.copyOf(unmatched)));
        }
        return new Module(m.name(), m.base(), m.size(), m.listedBy(), moduleCounts, List.copyOf(sections));
    }

    /**
     * The module's headers and sections (with no counts yet), from the section table of whichever side
     * has the first page (the image first); the whole image as one part when neither has readable headers.
     */
    private static List<Section> parts(Candidate m, Layer image, Layer dump, List<Note> notes) {
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
            notes.add(new Note(true, m.name(), "no section table in the image or the minidump (" + problem
                    + "); comparing the whole image as one range"));
            return List.of(part("(whole image)", m.base(), size));
        }
        List<Section> parts = new ArrayList<>();
        List<PeHeaders.Section> sections = pe.sections().stream().sorted(Comparator.comparingLong(
                PeHeaders.Section::virtualAddress)).toList();
        long headers = sections.isEmpty() ? Math.max(PAGE, pe.sizeOfHeaders()) : sections.get(0).virtualAddress();
        parts.add(part("(headers)", m.base(), Math.min(size, (headers + PAGE - 1) & ~(long) (PAGE - 1))));
        for (PeHeaders.Section sec : sections) {
            long start = sec.virtualAddress() & ~(long) (PAGE - 1);
            long end = Math.min(size, sec.virtualAddress() + sec.mappedSize());
            if (start >= size || end <= start) {
                notes.add(new Note(false, m.name(), "section " + sec.name() + " lies outside the image's 0x" + Long
                        .toHexString(m.size()) + " bytes; skipped"));
                continue;
            }
            parts.add(part(sec.name(), m.base() + start, end - start));
        }
        return parts;
    }

    private static Section part(String name, long va, long size) {
        return new Section(name, va, size, new Counts(), List.of());
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
