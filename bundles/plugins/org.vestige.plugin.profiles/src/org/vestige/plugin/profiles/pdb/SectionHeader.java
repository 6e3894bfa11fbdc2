package org.vestige.plugin.profiles.pdb;

/**
 * One image section header as the PDB keeps a copy of it (the DBI optional debug header's
 * section-header stream): 40-byte {@code IMAGE_SECTION_HEADER}s, of which the name, virtual size and
 * virtual address are kept.
 *
 * @param name           the section's name ({@code .text}, {@code PAGE}, ...)
 * @param virtualSize    its size in memory
 * @param virtualAddress its RVA
 * @since 0.1
 */
public record SectionHeader(String name, long virtualSize, long virtualAddress) {

    /** The size of one header in the stream. */
    static final int SIZE = 40;
}
