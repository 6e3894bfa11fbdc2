package org.vestige.core.types;

import java.util.Locale;
import java.util.Optional;

/**
 * Which kernel a profile describes: PDB name, GUID and age when the profile was made from the
 * kernel's PDB (the key a kernel found in memory is matched by), the PE version, and the
 * architecture.
 *
 * @param pdbName     e.g. {@code ntkrnlmp.pdb}, or null for types-only layouts
 * @param guid        32 upper-case hex digits in symbol-server order, or null
 * @param age         the PDB age, or 0
 * @param machineType 0x8664 (x64) or 0x14c (x86), or 0 when unknown
 * @param major       PE major version, or 0
 * @param minor       PE minor version, or 0
 * @param build       Windows build number, or 0 when unknown
 * @since 0.1
 */
public record ProfileIdentity(String pdbName, String guid, int age, int machineType, int major, int minor,
        int build) {

    public ProfileIdentity {
        guid = guid == null ? null : guid.toUpperCase(Locale.ROOT);
    }

    /** @return the symbol-server key, e.g. {@code ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1} */
    public Optional<String> pdbKey() {
        return guid == null || pdbName == null ? Optional.empty()
                : Optional.of(pdbName.toLowerCase(Locale.ROOT) + "/" + guid + "-" + Integer.toHexString(age)
                        .toUpperCase(Locale.ROOT));
    }

    /** @return true when this profile was made for the kernel with this PDB identity */
    public boolean matches(String otherPdbName, String otherGuid, int otherAge) {
        return guid != null && pdbName != null && pdbName.equalsIgnoreCase(otherPdbName)
                && guid.equalsIgnoreCase(otherGuid) && age == otherAge;
    }

    public String architecture() {
        return switch (machineType) {
            case 0x8664 -> "x64";
            case 0x14c -> "x86";
            default -> "unknown";
        };
    }
}
