package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;

/**
 * Raw LZ4 block decoder (the block format, without the frame): the Windows 11 24H2
 * memory-compression store. Sequences of a token (high nibble literal count, low nibble match
 * length minus 4; 15 continues in bytes of 255), literals, and a 16-bit little-endian offset; the
 * block ends after the literals of the last sequence, at the end of the input.
 *
 * <p>Delegates to aircompressor's pure-Java decoder, which checks every read and write against the
 * given ranges and reports malformed input; the whole block must fit the output.
 */
public final class Lz4BlockDecoder implements Decompressor {

    /** The shared instance. */
    public static final Lz4BlockDecoder INSTANCE = new Lz4BlockDecoder();

    static final String NAME = "lz4";

    private final Lz4Decompressor delegate = new Lz4Decompressor(); // stateless

    private Lz4BlockDecoder() {
    }

    @Override
    public Codec codec() {
        return Codec.LZ4;
    }

    @Override
    public int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CodecException {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        if (inLen == 0) {
            throw new CodecException(NAME, 0, 0, "empty input (a block holds at least one token)");
        }
        int n;
        try {
            n = delegate.decompress(in, inOff, inLen, out, outOff, outLen);
        } catch (MalformedInputException e) {
            throw new CodecException(NAME, e.getOffset(), -1,
                    "malformed block (" + LibraryMessages.describe(e, outLen) + ")", e);
        }
        if (n < 0 || n > outLen) {
            // aircompressor 0.27 answers -1 instead of throwing when the output room is 0.
            throw new CodecException(NAME, 0, 0, "block does not fit the output room of " + outLen + " bytes");
        }
        return n;
    }
}
