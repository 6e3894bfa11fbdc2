package org.vestige.windows;

/**
 * Says which file, and where in it, a page lives whose prototype PTE points at a subsection: a
 * page of a mapped file or image that is in no memory at all. Plugged into an {@link X64Translator}
 * once the kernel's profile is known.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SubsectionSource {

    /**
     * @param subsection   the {@code _SUBSECTION} the PTE points at
     * @param prototypePte the kernel address of the prototype PTE that pointed there, or -1 when the
     *                     page's own PTE did (the 22H2 encoding) and no VAD gave its prototype PTE
     * @return the page as missing, {@link org.vestige.core.layer.MissingCause.InFile} with the file and the
     *         offset when they can be read (an empty name and offset -1 when not), and the reason naming them
     */
    org.vestige.core.layer.PageProvenance.Missing describe(long subsection, long prototypePte);
}
