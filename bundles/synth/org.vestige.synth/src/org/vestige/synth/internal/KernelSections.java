package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.vestige.core.types.LayoutTable;

/**
 * The section table of a real ntoskrnl build, from {@code data/kernel-sections.txt} (where each fact's source
 * is named): the sections tiling the image, the page holding the debug and export directories, and the
 * image's size.
 *
 * @param sections      the sections in RVA order, each ending where the next begins
 * @param directoriesRva the RVA of the read-only page given to the debug directory, RSDS record and exports
 * @param sizeOfImage   the image's SizeOfImage
 */
record KernelSections(List<PeImageBuilder.Section> sections, int directoriesRva, int sizeOfImage) {

    private static final String RESOURCE = "data/kernel-sections.txt";
    private static volatile Map<String, KernelSections> tables;

    /** @return the table of the kernel with this PDB identity, when the data has one */
    static Optional<KernelSections> forPdb(String guid, int age) {
        if (guid == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(all().get(guid.toUpperCase(Locale.ROOT) + "-" + age));
    }

    /** @return the section named {@code name}, if the table has one */
    Optional<PeImageBuilder.Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return the section holding {@code rva}, if any */
    Optional<PeImageBuilder.Section> containing(long rva) {
        return sections.stream().filter(s -> rva >= s.rva() && rva < s.rva() + (long) s.virtualSize()).findFirst();
    }

    private static Map<String, KernelSections> all() {
        Map<String, KernelSections> t = tables;
        if (t == null) {
            t = parse(LayoutTable.read(KernelSections.class, RESOURCE));
            tables = t;
        }
        return t;
    }

    /** A section start read from the table, before its size is known. */
    private record Start(String name, int rva, int characteristics) {
    }

    /**
     * Parses the tables: rows {@code pdb name rva kind}, the {@code =directories} and {@code =end} rows
     * closing each kernel's table.
     */
    static Map<String, KernelSections> parse(String text) {
        Map<String, List<Start>> starts = new HashMap<>();
        Map<String, Integer> directories = new HashMap<>();
        Map<String, KernelSections> out = new HashMap<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 4)) {
            String pdb = row.field(0);
            try {
                int rva = Integer.decode(row.field(2));
                switch (row.field(1)) {
                    case "=directories" -> directories.put(pdb, rva);
                    case "=end" -> out.put(pdb, close(starts.getOrDefault(pdb, List.of()), directories.get(pdb), rva));
                    default -> starts.computeIfAbsent(pdb, k -> new ArrayList<>()).add(new Start(row.field(1), rva,
                            characteristics(row.field(3))));
                }
            } catch (IllegalArgumentException e) {
                throw LayoutTable.malformed(RESOURCE, row, e);
            }
        }
        return Map.copyOf(out);
    }

    private static KernelSections close(List<Start> starts, Integer directories, int end) {
        if (starts.isEmpty() || directories == null) {
            throw new IllegalArgumentException("=end before the sections and =directories");
        }
        List<PeImageBuilder.Section> sections = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            Start s = starts.get(i);
            int next = i + 1 < starts.size() ? starts.get(i + 1).rva() : end;
            if (next <= s.rva() || (s.rva() & 0xfff) != 0) {
                throw new IllegalArgumentException("section " + s.name() + " at 0x" + Integer.toHexString(s.rva())
                        + " is not page aligned or does not precede the next");
            }
            sections.add(new PeImageBuilder.Section(s.name(), s.rva(), next - s.rva(), s.characteristics()));
        }
        return new KernelSections(List.copyOf(sections), directories, end);
    }

    private static int characteristics(String kind) {
        return switch (kind) {
            case "code" -> PeImageBuilder.CODE;
            case "init" -> PeImageBuilder.CODE | PeImageBuilder.DISCARDABLE;
            case "data" -> PeImageBuilder.DATA;
            case "rdata" -> PeImageBuilder.RDATA;
            case "reloc" -> PeImageBuilder.RDATA | PeImageBuilder.DISCARDABLE;
            default -> throw new IllegalArgumentException("unknown section kind " + kind);
        };
    }
}
