package org.vestige.codec.internal;

import java.util.Objects;
import java.util.function.Supplier;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.snappy.SnappyCompressor;

/**
 * Raw LZ4 and Snappy block encoders: aircompressor's, which keep a hash table per instance, so one
 * instance per thread.
 */
public final class LibraryBlockEncoder implements Compressor {

    /** LZ4 blocks (no frame). */
    public static final LibraryBlockEncoder LZ4 = new LibraryBlockEncoder(Codec.LZ4, Lz4Compressor::new);

    /** Snappy blocks (no framing). */
    public static final LibraryBlockEncoder SNAPPY = new LibraryBlockEncoder(Codec.SNAPPY, SnappyCompressor::new);

    private final Codec codec;
    private final ThreadLocal<io.airlift.compress.Compressor> encoders;

    private LibraryBlockEncoder(Codec codec, Supplier<io.airlift.compress.Compressor> factory) {
        this.codec = codec;
        this.encoders = ThreadLocal.withInitial(factory);
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public int maxCompressedLength(int inLen) {
        return encoders.get().maxCompressedLength(inLen);
    }

    @Override
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        io.airlift.compress.Compressor encoder = encoders.get();
        if (outLen < encoder.maxCompressedLength(inLen)) {
            throw new IllegalArgumentException("output room " + outLen + " is below maxCompressedLength "
                    + encoder.maxCompressedLength(inLen));
        }
        return encoder.compress(in, inOff, inLen, out, outOff, outLen);
    }
}
