package org.vestige.plugin.profiles.pdb;

/**
 * An S_PUB32 public symbol of the symbol-record stream.
 *
 * @param name    its (possibly decorated) name
 * @param segment its section number, from 1
 * @param offset  its offset in that section
 * @param flags   the CV_PUBSYMFLAGS (1 code, 2 function, 4 managed, 8 MSIL)
 * @param rva     its RVA (the section's virtual address plus the offset), or -1 when the segment is
 *                not one of the PDB's section headers
 * @since 0.1
 */
public record PublicSymbol(String name, int segment, long offset, int flags, long rva) {

    /** @return whether the symbol's segment is a known section, so that {@link #rva()} is meaningful */
    public boolean hasRva() {
        return rva >= 0;
    }
}
