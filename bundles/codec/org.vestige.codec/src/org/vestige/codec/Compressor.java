package org.vestige.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes bytes in a codec's format, so that the matching {@link Decompressor} reproduces them.
 * Used to build test fixtures and synthetic evidence; forensic reading needs only decoders.
 *
 * <p>Implementations are stateless and safe for concurrent use.
 *
 * @since 0.1
 */
public interface Compressor {

    /** @return the codec this encoder writes */
    Codec codec();

    /** @return the largest possible encoding of {@code inLen} bytes (output room that always suffices) */
    int maxCompressedLength(int inLen);

    /**
     * Encodes {@code in[inOff, inOff + inLen)} into {@code out[outOff, ...)}.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException  when {@code outLen < maxCompressedLength(inLen)}
     * @throws IndexOutOfBoundsException when a range lies outside its array
     */
    int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen);

    /** Encodes a whole array into a new array of exactly the encoded length. */
    default byte[] compress(byte[] in) {
        Objects.requireNonNull(in, "in");
        byte[] out = new byte[maxCompressedLength(in.length)];
        int n = compress(in, 0, in.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }
}
