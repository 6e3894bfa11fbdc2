package org.vestige.plugin.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tells the Windows version of a kernel profile whose ISF carries a PDB identity but no PE version
 * (ISF made from a PDB alone): from the {@code NtBuildLab} symbol's {@code constant_data} when the
 * file has it (the lab string starts with the build number, e.g. {@code 19041.1.amd64fre...}),
 * otherwise from a table of known kernel PDBs.
 *
 * <p>The table ({@code kernel-versions.txt} next to this class) lists the ntoskrnl file versions of
 * the kernels whose PDB identities Vestige ships, as their source publishes them; the file names that
 * source and notes where it was corrected.
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
    private static final Map<String, Version> KNOWN = load();

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

    /** @return every kernel in the table, by {@code pdbName/GUID-AGE} */
    public static Map<String, Version> all() {
        return KNOWN;
    }

    private static Map<String, Version> load() {
        Map<String, Version> table = new TreeMap<>();
        try (InputStream in = KernelVersions.class.getResourceAsStream("kernel-versions.txt")) {
            if (in == null) {
                throw new IllegalStateException("kernel-versions.txt is missing from the bundle");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] cols = t.split("\\s+");
                String[] v = cols[1].split("\\.");
                table.put("ntkrnlmp.pdb/" + cols[0].toUpperCase(Locale.ROOT), new Version(Integer.parseInt(v[0]),
                        Integer.parseInt(v[1]), Integer.parseInt(v[2]), Integer.parseInt(v[3])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(table);
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
