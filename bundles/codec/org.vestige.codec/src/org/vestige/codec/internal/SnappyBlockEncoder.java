package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

import io.airlift.compress.snappy.SnappyCompressor;

/** Raw Snappy block encoder (aircompressor's, which keeps a hash table per instance: one per thread). */
public final class SnappyBlockEncoder implements Compressor {

    /** The shared instance. */
    public static final SnappyBlockEncoder INSTANCE = new SnappyBlockEncoder();

    private static final ThreadLocal<SnappyCompressor> ENCODERS = ThreadLocal.withInitial(SnappyCompressor::new);

    private SnappyBlockEncoder() {
    }

    @Override
    public Codec codec() {
        return Codec.SNAPPY;
    }

    @Override
    public int maxCompressedLength(int inLen) {
        return ENCODERS.get().maxCompressedLength(inLen);
    }

    @Override
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        SnappyCompressor encoder = ENCODERS.get();
        if (outLen < encoder.maxCompressedLength(inLen)) {
            throw new IllegalArgumentException("output room " + outLen + " is below maxCompressedLength "
                    + encoder.maxCompressedLength(inLen));
        }
        return encoder.compress(in, inOff, inLen, out, outOff, outLen);
    }
}
