package org.vestige.layer.crashdump;

import java.nio.file.Path;

import org.vestige.core.layer.Layer;

/**
 * The memory a crash dump or minidump holds, as a {@link Layer}, with the address space it spans.
 * Addresses are unsigned 64-bit values: kernel addresses such as {@code 0xfffff8047ba00000} are
 * negative as Java {@code long}s, and {@link #size()} is likewise an unsigned value.
 *
 * <p>Bytes present in the file are reported as {@code PageProvenance.Evidence(file, offset)}; bytes
 * the dump does not hold are zero-filled and reported as {@code PageProvenance.Missing} with the
 * reason (for example "page not in dump (bitmap)").
 *
 * @since 0.1
 */
public interface DumpLayer extends Layer {

    /** @return whether addresses are physical, kernel virtual or process virtual */
    AddressSpace addressSpace();

    /** @return the dump file the bytes come from */
    Path file();
}
