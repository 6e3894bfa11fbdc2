package org.vestige.layer.crashdump;

import java.util.Locale;

/**
 * A module's CodeView debug record, which names its PDB: the {@code RSDS} form (GUID and age) or the
 * older {@code NB10} form (timestamp signature and age).
 *
 * @param format    {@code "RSDS"} or {@code "NB10"}
 * @param pdbName   the PDB path the linker recorded
 * @param guid      the PDB GUID in registry form (e.g. {@code 368A7C3A-63A6-44D9-BF65-9B2F4799A1C2}), empty for NB10
 * @param age       the PDB age
 * @param signature the NB10 timestamp signature (0 for RSDS)
 * @since 0.1
 */
public record CodeViewRecord(String format, String pdbName, String guid, int age, int signature) {

    /**
     * @return the key a symbol server files the PDB under: the GUID's hex digits without dashes (or the
     *         NB10 signature) followed by the age in hex, upper case
     */
    public String symbolServerKey() {
        String id = format.equals("RSDS") ? guid.replace("-", "") : "%08X".formatted(signature);
        return (id + Integer.toHexString(age)).toUpperCase(Locale.ROOT);
    }
}
