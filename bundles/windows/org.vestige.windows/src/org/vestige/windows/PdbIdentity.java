package org.vestige.windows;

import java.util.Locale;

/**
 * The PDB a kernel image names in its CodeView (RSDS) debug record: the key profiles are matched by.
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

    @Override
    public String toString() {
        return key();
    }
}
