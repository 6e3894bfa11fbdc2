package org.vestige.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a case's row in the {@code cases} dataset says about the image, taken from the results of
 * {@code evidence.info} (the image's digests) and {@code windows.info} (build, kernel, profile, discovery) that
 * every launch runs first.
 *
 * @param md5        the image's MD5, or null when the evidence could not be opened
 * @param sha1       its SHA-1, or null
 * @param sha256     its SHA-256, or null
 * @param build      the Windows build ({@code NtBuildNumber}), or null when no kernel was found
 * @param kernelPdb  the kernel's PDB name and identity (GUID and age), or null
 * @param kernelBase the kernel's base address (hex), or null
 * @param profile    the kernel profile chosen, or null
 * @param discovery  how kernel discovery ended: complete, or incomplete with the first step that failed; null when
 *                   windows.info did not run
 */
public record CaseFacts(String md5, String sha1, String sha256, Integer build, String kernelPdb, String kernelBase,
        String profile, String discovery) implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The analysis whose result gives the digests. */
    public static final String EVIDENCE_INFO = "evidence.info";
    /** The analysis whose result gives the kernel's identity. */
    public static final String WINDOWS_INFO = "windows.info";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the facts in the results saved in {@code outputDir}; what a result does not hold stays null */
    public static CaseFacts read(Path outputDir) throws IOException {
        JsonNode image = null;
        for (JsonNode row : rows(outputDir.resolve(EVIDENCE_INFO + ".jsonl")).values()) {
            if (image == null && "image".equals(row.path("Role").asText())) {
                image = row;
            }
        }
        Map<String, JsonNode> info = rows(outputDir.resolve(WINDOWS_INFO + ".jsonl"));
        String build = value(info, "NtBuildNumber");
        Integer number = null;
        if (build != null && build.matches("\\d{1,9}")) {
            number = Integer.valueOf(build);
        }
        return new CaseFacts(digest(image, "MD5"), digest(image, "SHA1"), digest(image, "SHA256"), number,
                value(info, "Kernel PDB"), value(info, "Kernel base"), value(info, "Profile"), discovery(info.get("Discovery")));
    }

    /** @return the discovery row's value and, when it is not complete, the first of its steps that failed */
    private static String discovery(JsonNode row) {
        if (row == null || !row.path("Value").isTextual()) {
            return null;
        }
        String status = row.get("Value").asText();
        if (!status.equals("complete")) {
            for (JsonNode step : row.path("__children")) {
                if (step.path("Value").asText().startsWith("failed")) {
                    return status + ": " + step.path("Property").asText() + ": " + step.get("Value").asText();
                }
            }
        }
        return status;
    }

    /** @return the top-level rows of a saved result by their first column's text, in order; none if not saved */
    private static Map<String, JsonNode> rows(Path file) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        int i = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode row = JSON.readTree(line);
                String key = row.path("Property").isTextual() ? row.get("Property").asText() : "#" + i;
                out.putIfAbsent(key, row);
                i++;
            }
        }
        return out;
    }

    private static String value(Map<String, JsonNode> info, String property) {
        JsonNode row = info.get(property);
        return row == null || !row.path("Value").isTextual() ? null : row.get("Value").asText();
    }

    private static String digest(JsonNode image, String column) {
        return image == null || !image.path(column).isTextual() ? null : image.get(column).asText();
    }

    /** @return facts for a case whose evidence could not be read at all */
    public static CaseFacts none() {
        return new CaseFacts(null, null, null, null, null, null, null, null);
    }
}
