package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Reads the sections of a file from the control areas its {@code _SECTION_OBJECT_POINTERS} name: the
 * subsections that follow a {@code _CONTROL_AREA} in its allocation and continue through
 * {@code _SUBSECTION.NextSubsection}, each with its prototype PTE array ({@code SubsectionBase},
 * {@code PtesInSubsection}), as a {@link MappedSection}.
 *
 * <p>Facts (Windows Internals 7th ed., part 1, ch. 5 "Section objects" and "Prototype PTEs"): a mapped
 * file's control area is followed by its first subsection; each subsection maps a run of the file with one
 * prototype PTE per page. A data section's subsection starts at {@code StartingSector} × 512 bytes in the
 * file; an image section's subsections follow the image's virtual layout, one after the other, so an image
 * section reads back as the image is laid out in memory.
 *
 * <p>Damage is bounded: the chain stops at a subsection that does not point back at its control area, at
 * a wild {@code NextSubsection}, at a loop, after {@value #MAX_SUBSECTIONS} subsections, and a subsection
 * with a wild prototype array or an implausible count is left out; each is a warning naming the address. A
 * subsection without prototype PTEs ({@code SubsectionBase} 0) maps nothing in memory and is left out.
 *
 * @since 0.1
 */
public final class ControlAreas {

    /** More subsections than any file has (an image has one per PE section plus its headers). */
    static final int MAX_SUBSECTIONS = 4096;
    /** More prototype PTEs than one subsection maps (4 GiB of file). */
    static final long MAX_PTES = 1L << 20;

    private final X64Layer kernel;
    private final MemoryReader reader;
    private final int controlAreaSize;
    private final int subsectionSize;
    private final int back;
    private final int base;
    private final int next;
    private final int ptes;
    private final FieldPath.Accessor startingSector;

    /**
     * @param kernel the kernel address space
     * @throws java.util.NoSuchElementException naming the structure or field the profile lacks
     */
    public ControlAreas(X64Layer kernel, Profile profile) {
        this.kernel = Objects.requireNonNull(kernel);
        this.reader = new MemoryReader(kernel);
        this.controlAreaSize = (int) profile.requireStruct("_CONTROL_AREA").size();
        this.subsectionSize = (int) profile.requireStruct("_SUBSECTION").size();
        this.back = (int) FieldPath.require(profile, "_SUBSECTION", "ControlArea").offset();
        this.base = (int) FieldPath.require(profile, "_SUBSECTION", "SubsectionBase").offset();
        this.next = (int) FieldPath.require(profile, "_SUBSECTION", "NextSubsection").offset();
        this.ptes = (int) FieldPath.require(profile, "_SUBSECTION", "PtesInSubsection").offset();
        this.startingSector = FieldPath.requireAccessor(profile, "_SUBSECTION", "StartingSector");
        // a page only in the file is named (file and offset) by the translator's subsection source
        SubsectionFiles.install(kernel, profile);
    }

    /**
     * Reads the section a control area describes.
     *
     * @param controlArea the {@code _CONTROL_AREA}'s address
     * @param image       true for an ImageSectionObject (virtual layout), false for a DataSectionObject
     * @param name        what the section is, for the layer's name
     * @param warnings    where damage to the subsection chain is described, naming addresses
     * @return the section, or why not even its first subsection can be read
     */
    public Readout<MappedSection> section(long controlArea, boolean image, String name, List<String> warnings) {
        if (controlArea >= 0 || !X64Translator.canonical(controlArea)) {
            return Readout.missing("control area " + hex(controlArea) + " is not a kernel address");
        }
        String what = "control area " + hex(controlArea);
        List<MappedSection.Run> runs = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long ss = controlArea + controlAreaSize;
        long offset = 0;
        while (ss != 0) {
            if (seen.size() == MAX_SUBSECTIONS || !seen.add(ss)) {
                warnings.add(what + ": subsection chain " + (seen.contains(ss) ? "loops back to " + hex(ss)
                        : "longer than " + MAX_SUBSECTIONS + " subsections") + "; the rest is left out");
                break;
            }
            Readout<byte[]> b = reader.bytes(ss, subsectionSize, "_SUBSECTION");
            String problem = b.isPresent() ? implausible(b.get(), controlArea) : b.reason();
            if (problem != null) {
                if (runs.isEmpty()) {
                    return b.isPresent() ? Readout.missing(what + ": subsection " + hex(ss) + " " + problem)
                            : Readout.missing(b.cause(), what + ": " + problem);
                }
                warnings.add(what + ": subsection " + hex(ss) + " " + problem + "; the rest is left out");
                break;
            }
            byte[] s = b.get();
            long count = Bytes.u32(s, ptes);
            long first = Bytes.u64(s, base);
            if (first == 0) {
                // no prototype PTEs built for it (the section's pages were never or are no longer in memory)
                offset += count <= MAX_PTES ? count * 4096 : 0;
            } else if (count > MAX_PTES || first >= 0 || !X64Translator.canonical(first)) {
                warnings.add(what + ": subsection " + hex(ss) + " has " + (count > MAX_PTES ? count
                        + " prototype PTEs, more than a subsection maps" : "a prototype PTE array at " + hex(first)
                                + ", not a kernel address") + "; it is left out");
            } else {
                long at = image ? offset : startingSector.get(s, 0) * 512;
                runs.add(new MappedSection.Run(ss, at, first, count));
                offset += count * 4096;
            }
            ss = Bytes.u64(s, next);
            if (ss != 0 && (ss >= 0 || !X64Translator.canonical(ss))) {
                warnings.add(what + ": NextSubsection " + hex(ss) + " is not a kernel address; the rest is left out");
                break;
            }
        }
        runs.sort(Comparator.comparingLong(MappedSection.Run::offset));
        for (int i = 1; i < runs.size(); i++) {
            if (runs.get(i).offset() < runs.get(i - 1).end()) {
                warnings.add(what + ": subsection " + hex(runs.get(i).subsection()) + " overlaps subsection " + hex(
                        runs.get(i - 1).subsection()) + "; it is left out");
                runs.remove(i--);
            }
        }
        return Readout.of(new MappedSection(kernel, name, controlArea, runs));
    }

    /** @return why {@code s} is no subsection of {@code controlArea}, or null */
    private String implausible(byte[] s, long controlArea) {
        long owner = Bytes.u64(s, back);
        return owner == controlArea ? null : "points at control area " + hex(owner) + ", not back at its own";
    }
}
