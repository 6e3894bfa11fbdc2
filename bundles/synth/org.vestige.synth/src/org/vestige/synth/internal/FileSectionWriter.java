package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.vestige.core.types.Profile;
import org.vestige.synth.FileTruth;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PteEncoding;

/**
 * Lays out the sections of files as the memory manager keeps them: a {@code _CONTROL_AREA} followed in its
 * allocation by the first {@code _SUBSECTION}, a second subsection reached through {@code NextSubsection},
 * and for each subsection a prototype PTE array whose pages are resident, in transition, paged out to
 * pagefile.sys, in swapfile.sys, in the compressed store, or (image sections) only in the file — each page's
 * source recorded in the truth. Done before the compressed store is written (its pages need keys), with the
 * control areas' {@code FilePointer} filled in once the file objects exist.
 */
final class FileSectionWriter {

    private static final long TAG_CONTROL_AREA = 0x61436d4dL; // 'MmCa'
    private static final long TAG_IMAGE_CONTROL_AREA = 0x69436d4dL; // 'MmCi'
    private static final long TAG_SUBSECTION = 0x62536d4dL; // 'MmSb'
    private static final long TAG_SEGMENT = 0x6d536d4dL; // 'MmSm'
    private static final long TAG_PROTOTYPES = 0x74506d4dL; // 'MmPt'
    private static final int PAGE = 4096;
    private static final int SECTORS_PER_PAGE = PAGE / 512;
    /** Where a data section's pages come from, page by page; stores the image lacks fall back to RAM. */
    private static final List<String> DATA_SOURCES = List.of("ram", "transition", "pagefile", "swapfile",
            "compressed", "ram", "transition", "pagefile", "compressed");
    /** An image section: its headers resident, a page only in the file, then pages in memory. */
    private static final List<String> IMAGE_SOURCES = List.of("ram", "file", "transition", "pagefile", "compressed",
            "ram");

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;
    private final PteEncoding pte;
    private final Map<String, Laid> laid = new HashMap<>();
    private final List<FileTruth.Section> sections = new ArrayList<>();

    /** A section laid out and waiting for its file object. */
    private record Laid(long controlArea, String name, boolean image, long size, String sha256,
            List<FileTruth.SectionPage> pages) {
    }

    FileSectionWriter(Machine machine) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
        this.pte = machine.pte;
    }

    /** @return whether the profile describes control areas with subsection chains and prototype PTE arrays */
    static boolean supported(Profile profile) {
        for (String field : new String[] {"ControlArea", "SubsectionBase", "NextSubsection", "PtesInSubsection",
            "StartingSector"}) {
            if (!profile.has("_SUBSECTION", field)) {
                return false;
            }
        }
        return profile.has("_CONTROL_AREA", "FilePointer");
    }

    /**
     * Lays out a section of the file {@code name} in memory.
     *
     * @param pages how many pages it has (split between two subsections)
     */
    void layOut(String name, boolean image, int pages) {
        List<String> plan = image ? IMAGE_SOURCES : DATA_SOURCES;
        Random content = new Random(machine.options.seed() ^ name.hashCode() ^ (image ? 0x1313 : 0));
        long caSize = profile.requireStruct("_CONTROL_AREA").size();
        long ssSize = profile.requireStruct("_SUBSECTION").size();
        long ca = machine.poolAlloc(caSize + ssSize, image ? TAG_IMAGE_CONTROL_AREA : TAG_CONTROL_AREA);
        int first = Math.max(1, pages / 3);
        long[] prototypes = new long[pages];
        List<FileTruth.SectionPage> truth = new ArrayList<>();
        byte[] whole = new byte[pages * PAGE];
        boolean complete = true;
        for (int k = 0; k < pages; k++) {
            byte[] page = new byte[PAGE];
            content.nextBytes(page);
            byte[] label = (name + (image ? " image" : " data") + " page " + k + "\0").getBytes(
                    StandardCharsets.UTF_16LE);
            System.arraycopy(label, 0, page, 0, Math.min(label.length, PAGE));
            String source = available(plan.get(k % plan.size()));
            long[] where = {-1};
            prototypes[k] = place(source, page, where);
            complete &= !source.equals("file");
            System.arraycopy(page, 0, whole, k * PAGE, PAGE);
            truth.add(new FileTruth.SectionPage((long) k * PAGE, source, where[0], source.equals("file") ? null
                    : Sha256.hex(page)));
        }
        long second = machine.poolAlloc(ssSize, TAG_SUBSECTION);
        long firstArray = prototypeArray(prototypes, 0, first);
        long secondArray = prototypeArray(prototypes, first, pages);
        for (int k = 0; k < pages; k++) {
            if (prototypes[k] == 0) {
                // only in the file: the prototype PTE points at the subsection mapping it
                kernel.writeLong((k < first ? firstArray : secondArray) + (k < first ? k : k - first) * 8L, pte
                        .prototype(k < first ? ca + caSize : second));
            }
        }
        subsection(ca + caSize, ca, firstArray, first, 0, second);
        subsection(second, ca, secondArray, pages - first, first, 0);
        StructBuffer c = new StructBuffer(profile, "_CONTROL_AREA");
        c.putIfPresent("NumberOfSectionReferences", 1);
        c.putIfPresent("NumberOfSubsections", 2);
        c.putIfPresent(image ? "u.Flags.Image" : "u.Flags.File", 1);
        if (profile.struct("_SEGMENT").isPresent()) {
            long segment = machine.poolAlloc(profile.requireStruct("_SEGMENT").size(), TAG_SEGMENT);
            StructBuffer g = new StructBuffer(profile, "_SEGMENT");
            g.putIfPresent("ControlArea", ca);
            g.putIfPresent("SizeOfSegment", (long) pages * PAGE);
            kernel.write(segment, g.bytes());
            c.putIfPresent("Segment", segment);
        }
        kernel.write(ca, c.bytes());
        laid.put(key(name, image), new Laid(ca, name, image, (long) pages * PAGE, complete ? Sha256.hex(whole)
                : null, truth));
    }

    /** @return whether a section of {@code name} was laid out */
    boolean has(String name, boolean image) {
        return laid.containsKey(key(name, image));
    }

    /**
     * Points the control area of a laid-out section back at its file object and records the section.
     *
     * @return the control area
     */
    long attach(String name, boolean image, long file) {
        Laid l = laid.get(key(name, image));
        long ca = l.controlArea();
        kernel.writeLong(ca + profile.offset("_CONTROL_AREA", "FilePointer"), file | (1 + machine.random.nextInt(
                15)));
        sections.add(new FileTruth.Section(file, l.name(), l.image(), ca, l.size(), l.sha256(), l.pages()));
        return ca;
    }

    /** @return the sections attached to file objects, in the order they were */
    List<FileTruth.Section> sections() {
        return List.copyOf(sections);
    }

    private static String key(String name, boolean image) {
        return (image ? "image:" : "data:") + name;
    }

    /** @return {@code source}, or where the page goes when the image has no such store */
    private String available(String source) {
        return switch (source) {
            case "swapfile" -> machine.options.swapfile() ? source : "pagefile";
            case "compressed" -> machine.store != null ? source : "transition";
            default -> source;
        };
    }

    /**
     * Puts a page where {@code source} says.
     *
     * @param where receives its frame, paging-file offset or store key
     * @return the prototype PTE that says so (0 for a page only in the file, filled in once the subsection exists)
     */
    private long place(String source, byte[] page, long[] where) {
        int protection = 4;
        switch (source) {
            case "ram", "transition" -> {
                long frame = machine.memory.allocateFrame();
                machine.memory.write(frame, page);
                where[0] = frame;
                return source.equals("ram") ? frame | 0x121 : pte.transition(frame, protection);
            }
            case "pagefile", "swapfile" -> {
                boolean swap = source.equals("swapfile");
                Map<Long, byte[]> file = swap ? machine.swapfile : machine.pagefile;
                long n = Machine.freePagingFilePage(file, swap ? 0x80 : 0xB00, machine.random);
                file.put(n << 12, page.clone());
                where[0] = n << 12;
                return pte.software(swap ? 1 : 0, n, protection, (n & 1) == 0);
            }
            case "compressed" -> {
                // the store keys a page by its software PTE; the kernel page it is recorded under holds nothing else
                long va = machine.poolPages(1);
                long raw = machine.store.page(kernel, machine.placed.get(0).pid, va, page, protection, true, 0,
                        CompressedStoreWriter.Handling.PLAIN);
                where[0] = va;
                return raw;
            }
            default -> {
                return 0;
            }
        }
    }

    private long prototypeArray(long[] prototypes, int from, int to) {
        byte[] b = new byte[(to - from) * 8];
        for (int k = from; k < to; k++) {
            Le.put(b, (k - from) * 8, prototypes[k], 8);
        }
        long va = machine.poolAlloc(b.length, TAG_PROTOTYPES);
        kernel.write(va, b);
        return va;
    }

    private void subsection(long at, long ca, long prototypes, int count, int firstPage, long next) {
        StructBuffer ss = new StructBuffer(profile, "_SUBSECTION");
        ss.put("ControlArea", ca).put("SubsectionBase", prototypes).put("PtesInSubsection", count);
        ss.put("StartingSector", (long) firstPage * SECTORS_PER_PAGE).put("NextSubsection", next);
        ss.putIfPresent("NumberOfFullSectors", (long) count * SECTORS_PER_PAGE);
        kernel.write(at, ss.bytes());
    }
}
