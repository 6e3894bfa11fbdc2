package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;

/**
 * Raw Snappy block decoder (no framing): a varint of the decoded length, then literal and copy
 * elements. The declared length is checked against the output room before anything is decoded;
 * the elements are decoded by aircompressor's pure-Java decoder.
 */
public final class SnappyBlockDecoder implements Decompressor {

    /** The shared instance. */
    public static final SnappyBlockDecoder INSTANCE = new SnappyBlockDecoder();

    static final String NAME = "snappy";

    private final SnappyDecompressor delegate = new SnappyDecompressor(); // stateless

    private SnappyBlockDecoder() {
    }

    @Override
    public Codec codec() {
        return Codec.SNAPPY;
    }

    @Override
    public int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CodecException {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        long declared = declaredLength(in, inOff, inLen);
        if (declared > outLen) {
            throw new CodecException(NAME, 0, 0,
                    "block declares " + declared + " decoded bytes, the output has room for " + outLen);
        }
        int n;
        try {
            n = delegate.decompress(in, inOff, inLen, out, outOff, outLen);
        } catch (MalformedInputException e) {
            throw new CodecException(NAME, e.getOffset(), -1,
                    "malformed block (" + LibraryMessages.describe(e, outLen) + ")", e);
        }
        if (n < 0 || n > outLen) {
            // Not seen, but the LZ4 decoder of the same library answers -1 for an empty output.
            throw new CodecException(NAME, 0, 0, "block does not fit the output room of " + outLen + " bytes");
        }
        return n;
    }

    /** Reads the leading varint (at most 5 bytes, 32 bits) within the given range. */
    static long declaredLength(byte[] in, int inOff, int inLen) throws CodecException {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            if (i >= inLen) {
                throw new CodecException(NAME, i, 0, "input ends inside the length varint");
            }
            int b = in[inOff + i] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value > 0xFFFFFFFFL) {
                    break;
                }
                return value;
            }
        }
        throw new CodecException(NAME, 0, 0, "length varint is longer than 32 bits");
    }
}
