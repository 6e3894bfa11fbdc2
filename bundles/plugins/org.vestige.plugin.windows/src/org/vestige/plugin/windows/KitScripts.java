package org.vestige.plugin.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The acquisition kit's scripts, filled in from {@link KitSettings}: {@code collect.ps1} (PowerShell, the
 * kit proper) and {@code collect.cmd} (the cmd.exe fallback). The templates are in the bundle's
 * {@code data/kit} folder; every value is substituted as a literal of the script's language, never as code.
 */
final class KitScripts {

    private KitScripts() {
    }

    /** @return collect.ps1 for {@code s} */
    static String powershell(KitSettings s) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("OUTPUT", s.output());
        values.put("SYSTEM_DRIVE", s.systemDrive());
        values.put("WINPMEM", s.winpmem());
        values.put("WINPMEM_NAME", KitSettings.WINPMEM);
        values.put("PROCDUMP", s.procdump());
        values.put("SEVENZIP", s.sevenZip());
        values.put("RAWCOPY", s.rawCopy());
        values.put("DISK_IMAGER", s.diskImager());
        values.replaceAll((k, v) -> quoteInSingle(v));
        values.put("SKIP", s.skip().stream().map(n -> "'" + quoteInSingle(n) + "'").collect(Collectors.joining(
                ", ")));
        return fill("collect.ps1", values);
    }

    /** @return collect.cmd for {@code s} (its values were checked for characters cmd.exe interprets) */
    static String batch(KitSettings s) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("OUTPUT", s.output());
        values.put("SYSTEM_DRIVE", s.systemDrive());
        values.put("WINPMEM", s.winpmem());
        values.put("RAWCOPY", s.rawCopy());
        values.put("DISK_IMAGER", s.diskImager().replace("%", "%%"));
        return fill("collect.cmd", values).replace("\n", "\r\n");
    }

    /** Doubles single quotes, PowerShell's escape inside a single-quoted string. */
    private static String quoteInSingle(String value) {
        return value.replace("'", "''");
    }

    private static String fill(String template, Map<String, String> values) {
        String text;
        try (InputStream in = KitScripts.class.getResourceAsStream("/data/kit/" + template)) {
            if (in == null) {
                throw new IllegalStateException("the bundle has no data/kit/" + template);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace("@@" + v.getKey() + "@@", v.getValue());
        }
        return text;
    }
}
