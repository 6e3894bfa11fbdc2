package org.vestige.core.layer;

import java.io.Closeable;

/**
 * An address space: a physical memory image, a kernel or process virtual address space, a paging
 * file. Layers stack (evidence file, physical, kernel virtual, process virtual); each read fills
 * the bytes it can and reports where every run of bytes came from.
 *
 * <p>Reads never throw for unavailable data: bytes that cannot be read (a gap in the image, a
 * paged-out page with no paging file, an I/O error on the evidence) are filled and reported as
 * {@link PageProvenance.Missing} with the reason. Implementations must be safe for concurrent
 * reads from several threads.
 *
 * @since 0.1
 */
public interface Layer extends Closeable {

    /** Human-readable name, e.g. "physical (raw: memory.raw)" or "lsass.exe (pid 612) virtual". */
    String name();

    /** One past the highest address of this space (not the number of readable bytes). */
    long size();

    /**
     * Reads {@code length} bytes at {@code address} into {@code buffer[offset..]}, reporting each run
     * of bytes and its provenance to {@code sink} in address order.
     *
     * @return the number of bytes that were available (not {@link PageProvenance.Missing})
     */
    int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink);

    /** Reads bytes without collecting provenance. */
    default int read(long address, byte[] buffer, int offset, int length) {
        return read(address, buffer, offset, length, ProvenanceSink.IGNORE);
    }

    /** Reads {@code length} bytes at {@code address} into a new array (unavailable bytes filled). */
    default byte[] readBytes(long address, int length) {
        byte[] b = new byte[length];
        read(address, b, 0, length, ProvenanceSink.IGNORE);
        return b;
    }

    /**
     * Says where the byte at {@code address} would come from without reading data (cheap where the
     * layer can tell from its metadata, e.g. page tables or a map). The default reads one byte.
     */
    default PageProvenance provenance(long address) {
        PageProvenance[] out = new PageProvenance[1];
        read(address, new byte[1], 0, 1, (a, l, p) -> out[0] = p);
        return out[0] != null ? out[0] : new PageProvenance.Missing(
                new MissingCause.OutsideImage(), "address outside " + name());
    }

    /** Releases files and caches. Closing a layer does not close the layers below it unless it owns them. */
    @Override
    default void close() {
    }
}
