package org.vestige.codec;

import java.util.Objects;

/**
 * Decodes one compressed stream or block from a byte array into a byte array.
 *
 * <p>The output region {@code out[outOff, outOff + outLen)} is the most the stream may produce:
 * decoders never write outside it, never read outside {@code in[inOff, inOff + inLen)}, allocate
 * nothing in proportion to sizes claimed by the input, and always terminate. Decoding ends at the
 * end of the stream; for the Windows codecs whose streams carry no length of their own ({@code xpress},
 * {@code xpress-huffman}, {@code lznt1}) it also ends as soon as the output region is full, which is
 * how Windows decodes a page or a hibernation chunk of known size. A literal, match or block that
 * would write past the region is an error, as is every other inconsistency; the
 * {@link CodecException} says which and where. Bytes of the region past the returned count are
 * unspecified (decoders copy in whole words where the region has room).
 *
 * <p>Most callers know the exact decoded size (4096 for a memory page) and should use
 * {@link #decompressFully} or {@link #decompressPage}, which also report a stream that ends short.
 *
 * <p>Implementations are stateless and safe for concurrent use.
 *
 * @since 0.1
 */
public interface Decompressor {

    /** Size of an x86/x64 memory page, the unit of the memory-compression store. */
    int PAGE_SIZE = 4096;

    /** @return the codec this decoder implements */
    Codec codec();

    /**
     * Decodes {@code in[inOff, inOff + inLen)} into {@code out[outOff, outOff + outLen)}.
     *
     * @return the number of bytes written, at most {@code outLen}
     * @throws CodecException            when the input is malformed or does not fit the output
     * @throws IndexOutOfBoundsException when a range lies outside its array
     */
    int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) throws CodecException;

    /**
     * Decodes a stream that must produce exactly {@code outLen} bytes.
     *
     * @throws CodecException when the input is malformed or decodes to fewer bytes
     */
    default void decompressFully(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CodecException {
        int n = decompress(in, inOff, inLen, out, outOff, outLen);
        if (n != outLen) {
            throw new CodecException(codec().id(), inLen, n,
                    "stream ended after " + n + " bytes, " + outLen + " expected (short output)");
        }
    }

    /** Decodes a whole array to a new array of exactly {@code size} bytes. */
    default byte[] decompress(byte[] in, int size) throws CodecException {
        Objects.requireNonNull(in, "in");
        byte[] out = new byte[size];
        decompressFully(in, 0, in.length, out, 0, size);
        return out;
    }

    /** Decodes one compressed memory page: exactly {@value #PAGE_SIZE} bytes or an exception. */
    default byte[] decompressPage(byte[] in, int inOff, int inLen) throws CodecException {
        byte[] page = new byte[PAGE_SIZE];
        decompressFully(in, inOff, inLen, page, 0, PAGE_SIZE);
        return page;
    }
}
