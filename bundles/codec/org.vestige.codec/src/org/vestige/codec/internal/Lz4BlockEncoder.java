package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

import io.airlift.compress.lz4.Lz4Compressor;

/** Raw LZ4 block encoder (aircompressor's, which keeps a hash table per instance: one per thread). */
public final class Lz4BlockEncoder implements Compressor {

    /** The shared instance. */
    public static final Lz4BlockEncoder INSTANCE = new Lz4BlockEncoder();

    private static final ThreadLocal<Lz4Compressor> ENCODERS = ThreadLocal.withInitial(Lz4Compressor::new);

    private Lz4BlockEncoder() {
    }

    @Override
    public Codec codec() {
        return Codec.LZ4;
    }

    @Override
    public int maxCompressedLength(int inLen) {
        return ENCODERS.get().maxCompressedLength(inLen);
    }

    @Override
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        Lz4Compressor encoder = ENCODERS.get();
        if (outLen < encoder.maxCompressedLength(inLen)) {
            throw new IllegalArgumentException("output room " + outLen + " is below maxCompressedLength "
                    + encoder.maxCompressedLength(inLen));
        }
        return encoder.compress(in, inOff, inLen, out, outOff, outLen);
    }
}
