package org.vestige.windows;

import java.util.Locale;
import java.util.Optional;

import org.vestige.core.layer.Layer;
import org.vestige.windows.internal.PeImage;

/**
 * The PDB an image (the kernel, a loaded driver) names in its CodeView (RSDS) debug record: the key profiles are
 * matched by.
 *
 * @param name e.g. {@code ntkrnlmp.pdb}
 * @param guid 32 upper-case hex digits in symbol-server order
 * @param age  the PDB age
 * @since 0.1
 */
public record PdbIdentity(String name, String guid, int age) {

    public PdbIdentity {
        guid = guid.toUpperCase(Locale.ROOT);
    }

    /** @return the symbol-server key, e.g. {@code ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1} */
    public String key() {
        return name.toLowerCase(Locale.ROOT) + "/" + guid + "-" + Integer.toHexString(age).toUpperCase(Locale.ROOT);
    }

    /**
     * Reads the PDB identity of a PE image mapped in memory (a module on the kernel's loaded-module list, at its
     * base) from its debug directory's CodeView (RSDS) record, as kernel discovery reads the kernel's.
     *
     * @param layer the address space the image is mapped in (the kernel's, for drivers)
     * @param base  the image's base address
     * @return the identity, or empty when the headers or the record cannot be read
     * @since 0.1
     */
    public static Optional<PdbIdentity> ofImage(Layer layer, long base) {
        try {
            return PeImage.read(layer, base).codeView(layer).map(cv -> new PdbIdentity(cv.pdbName(), cv.guid(), cv
                    .age()));
        } catch (PeImage.NotPeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return key();
    }
}
