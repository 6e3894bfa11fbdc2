package org.vestige.core.evidence;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.vestige.core.layer.Layer;

/**
 * Evidence opened by an {@link EvidenceFormat}: the physical memory layer, the backing files that
 * travel inside the evidence (a WinPmem AFF4 volume's pagefile streams), and what the format read
 * from its headers (shown by {@code evidence.info}).
 *
 * @param formatId    the id of the format that opened it, e.g. {@code raw} or {@code aff4}
 * @param physical    the physical address space
 * @param backing     paging files found inside the evidence, registered without flags
 * @param properties  format details in display order (keys are short labels, values plain text)
 * @param resources   what to close when the evidence is closed (files, channels, caches)
 * @since 0.1
 */
public record OpenedEvidence(String formatId, Layer physical, List<BackingFile> backing,
        Map<String, String> properties, List<Closeable> resources) implements Closeable {

    /**
     * The property under which a format records a directory table base the evidence itself holds (a
     * crash dump's header, a virtual machine's saved CR3), as {@code 0x} and hexadecimal digits. An
     * operating-system engine tries it first and still validates it.
     */
    public static final String DIRECTORY_TABLE_BASE = "DirectoryTableBase";

    public OpenedEvidence {
        backing = List.copyOf(backing);
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        resources = List.copyOf(resources);
    }

    /**
     * A paging file carried inside the evidence.
     *
     * @param slot  the kernel's page-file number when the evidence records it, else -1
     * @param name  the file's name on the acquired system, e.g. {@code C:\pagefile.sys}
     * @param layer its bytes (4 KiB pages, no header)
     */
    public record BackingFile(int slot, String name, Layer layer) {
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : resources) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
