package org.vestige.layer.raw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.FileLayer;

/**
 * Raw physical memory images (dd-style, as WinPmem, DumpIt and Magnet RAM Capture write them in
 * raw mode, and VMware's .vmem): file offset N is physical address N. Raw images have no
 * signature, so this format accepts any file with a low confidence and steps aside for files that
 * carry another format's signature.
 *
 * <p>Addresses past the end of the file read as missing, never as zeros. Files of any size are
 * memory-mapped read-only.
 *
 * @since 0.1
 */
public final class RawFormat implements EvidenceFormat {

    /** Signatures of formats that are not raw memory, with what they are. */
    private static final Map<String, String> FOREIGN = new LinkedHashMap<>();

    static {
        FOREIGN.put("PK\u0003\u0004", "a zip container (AFF4 volume?)");
        FOREIGN.put("PAGEDU64", "a 64-bit Windows crash dump");
        FOREIGN.put("PAGEDUMP", "a 32-bit Windows crash dump");
        FOREIGN.put("MDMP", "a user-mode minidump");
        FOREIGN.put("EMiL", "a LiME image");
        FOREIGN.put("HIBR", "a Windows hibernation file");
        FOREIGN.put("hibr", "a Windows hibernation file");
        FOREIGN.put("\u00d2\u00be\u00d2\u00be", "a VMware saved state (.vmss/.vmsn)");
        FOREIGN.put("regf", "a registry hive");
    }

    @Override
    public ProbeResult probe(Path file) {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
            size = Files.size(file);
        } catch (IOException e) {
            return ProbeResult.no("cannot read the file: " + e.getMessage());
        }
        if (size == 0) {
            return ProbeResult.no("the file is empty");
        }
        String magic = new String(head, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> f : FOREIGN.entrySet()) {
            if (magic.startsWith(f.getKey())) {
                return new ProbeResult(1, "starts with the signature of " + f.getValue()
                        + "; opened as raw only if no other format can");
            }
        }
        boolean aligned = size % 4096 == 0;
        return new ProbeResult(ProbeResult.FALLBACK, "no signature (raw images have none); " + size + " bytes, "
                + (aligned ? "a whole number of 4 KiB pages" : "not a whole number of 4 KiB pages (truncated?)"));
    }

    @Override
    public OpenedEvidence open(Path file) throws EvidenceException {
        FileLayer layer;
        try {
            layer = FileLayer.open(file, "physical (raw: " + file.getFileName() + ")");
        } catch (IOException e) {
            throw new EvidenceException(file, "cannot be opened: " + e.getMessage(), e);
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("Layout", "file offset = physical address");
        props.put("Physical size", layer.size() + " bytes");
        if (layer.size() % 4096 != 0) {
            props.put("Warning", "size is not a multiple of 4096; the last page is partial");
        }
        return new OpenedEvidence("raw", layer, List.of(), props, List.of(layer));
    }
}
