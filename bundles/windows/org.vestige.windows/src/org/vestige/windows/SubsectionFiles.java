package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.Objects;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.FieldPath;

/**
 * Names the file behind a subsection: {@code _SUBSECTION.ControlArea} →
 * {@code _CONTROL_AREA.FilePointer} (a fast reference: the low four bits are a count) →
 * {@code _FILE_OBJECT.FileName}, and the page's offset in the file from the subsection's
 * {@code StartingSector} and the prototype PTE's index in {@code SubsectionBase}.
 *
 * @since 0.1
 */
public final class SubsectionFiles implements SubsectionSource {

    private static final int MAX_NAME_BYTES = 0x1000;

    private final MemoryReader reader;
    private final int controlArea;
    private final int subsectionBase;
    private final int ptes;
    private final FieldPath.Accessor startingSector;
    private final int filePointer;
    private final int fileName;

    private SubsectionFiles(X64Layer kernel, Profile profile) {
        this.reader = new MemoryReader(Objects.requireNonNull(kernel));
        this.controlArea = FieldPath.offsetOrMinus1(profile, "_SUBSECTION", "ControlArea");
        this.subsectionBase = FieldPath.offsetOrMinus1(profile, "_SUBSECTION", "SubsectionBase");
        this.ptes = FieldPath.offsetOrMinus1(profile, "_SUBSECTION", "PtesInSubsection");
        this.startingSector = FieldPath.accessor(profile, "_SUBSECTION", "StartingSector").orElse(null);
        this.filePointer = FieldPath.offsetOrMinus1(profile, "_CONTROL_AREA", "FilePointer");
        this.fileName = FieldPath.offsetOrMinus1(profile, "_FILE_OBJECT", "FileName");
    }

    /**
     * Plugs the naming into the kernel's translator when the profile has the types it needs.
     *
     * @return true when installed
     */
    public static boolean install(X64Layer kernel, Profile profile) {
        SubsectionFiles f = new SubsectionFiles(kernel, profile);
        if (f.controlArea < 0 || f.filePointer < 0 || f.fileName < 0) {
            return false;
        }
        kernel.translator().setSubsections(f);
        return true;
    }

    @Override
    public PageProvenance.Missing describe(long subsection, long prototypePte) {
        String where = "file-backed page (subsection " + hex(subsection) + ")";
        Readout<String> name = reader.qword(subsection + controlArea, "_SUBSECTION.ControlArea").flatMap(ca -> reader
                .qword(ca + filePointer, "_CONTROL_AREA.FilePointer")).flatMap(fp -> {
                    long file = fp & ~0xfL;
                    return file == 0 ? Readout.missing("the section is backed by the paging file, not a file")
                            : reader.unicodeString(file + fileName, MAX_NAME_BYTES, "_FILE_OBJECT " + hex(file)
                                    + " FileName");
                });
        if (!name.isPresent()) {
            return new PageProvenance.Missing(new MissingCause.InFile("", -1), where
                    + ", not in memory; its file cannot be named: " + name.reason());
        }
        long at = -1;
        if (prototypePte != -1 && subsectionBase >= 0) {
            int span = Math.max(subsectionBase + 8, Math.max(ptes + 4, startingSector != null ? startingSector
                    .offset() + startingSector.size() : 0));
            Readout<byte[]> ss = reader.bytes(subsection, span, "_SUBSECTION");
            if (ss.isPresent()) {
                long base = org.vestige.windows.internal.Bytes.u64(ss.get(), subsectionBase);
                long count = ptes >= 0 ? org.vestige.windows.internal.Bytes.u32(ss.get(), ptes) : Long.MAX_VALUE;
                long index = (prototypePte - base) / 8;
                if (prototypePte >= base && (prototypePte - base) % 8 == 0 && index < count) {
                    long sector = startingSector != null ? startingSector.get(ss.get(), 0) : 0;
                    at = sector * 512 + index * 4096;
                }
            }
        }
        return new PageProvenance.Missing(new MissingCause.InFile(name.get(), at), "in the file " + name.get() + (at
                < 0 ? "" : " at offset " + hex(at)) + ", not in memory (" + where + ")");
    }
}
