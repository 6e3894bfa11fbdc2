package org.vestige.layer.aff4.internal;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.vestige.layer.aff4.Aff4Codec;

import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;

/**
 * Compresses and decompresses single chunks. Snappy and LZ4 come from aircompressor (pure Java); deflate and zlib
 * from {@link Inflater}/{@link Deflater}. Decompressors are stateless or per thread, so any thread may call.
 */
public final class ChunkCodec {

    private static final SnappyDecompressor SNAPPY = new SnappyDecompressor();
    private static final Lz4Decompressor LZ4 = new Lz4Decompressor();
    private static final ThreadLocal<Inflater> RAW_INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final ThreadLocal<Inflater> ZLIB_INFLATER = ThreadLocal.withInitial(() -> new Inflater(false));
    private static final ThreadLocal<SnappyCompressor> SNAPPY_COMPRESSOR = ThreadLocal.withInitial(SnappyCompressor::new);
    private static final ThreadLocal<Lz4Compressor> LZ4_COMPRESSOR = ThreadLocal.withInitial(Lz4Compressor::new);

    private ChunkCodec() {
    }

    /** A chunk that does not decompress; the message says how. */
    public static final class CorruptChunkException extends Exception {
        private static final long serialVersionUID = 1L;

        public CorruptChunkException(String message) {
            super(message);
        }
    }

    /**
     * Decompresses {@code in[inOffset..inOffset+inLength)} into {@code out[0..]}.
     *
     * @return the number of bytes produced (at most {@code out.length})
     */
    public static int decompress(Aff4Codec codec, byte[] in, int inOffset, int inLength, byte[] out)
            throws CorruptChunkException {
        try {
            switch (codec) {
                case SNAPPY -> {
                    int expected = SnappyDecompressor.getUncompressedLength(in, inOffset);
                    if (expected < 0 || expected > out.length) {
                        throw new CorruptChunkException("snappy header announces " + expected
                                + " bytes, more than the chunk size " + out.length);
                    }
                    return SNAPPY.decompress(in, inOffset, inLength, out, 0, out.length);
                }
                case LZ4 -> {
                    return LZ4.decompress(in, inOffset, inLength, out, 0, out.length);
                }
                case DEFLATE -> {
                    return inflate(RAW_INFLATER.get(), in, inOffset, inLength, out, "deflate");
                }
                case ZLIB -> {
                    return inflate(ZLIB_INFLATER.get(), in, inOffset, inLength, out, "zlib");
                }
                case STORED -> {
                    int n = Math.min(inLength, out.length);
                    System.arraycopy(in, inOffset, out, 0, n);
                    return n;
                }
                default -> throw new IllegalStateException(codec.name());
            }
        } catch (CorruptChunkException e) {
            throw e;
        } catch (RuntimeException e) {
            // aircompressor reports malformed input with MalformedInputException and, for some inputs, index errors.
            throw new CorruptChunkException(codec.name().toLowerCase() + " data is malformed: " + e.getMessage());
        }
    }

    private static int inflate(Inflater inflater, byte[] in, int off, int len, byte[] out, String what)
            throws CorruptChunkException {
        inflater.reset();
        inflater.setInput(in, off, len);
        int n = 0;
        try {
            while (n < out.length && !inflater.finished()) {
                int k = inflater.inflate(out, n, out.length - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
        } catch (DataFormatException e) {
            throw new CorruptChunkException(what + " data is malformed: " + e.getMessage());
        }
        if (!inflater.finished()) {
            throw new CorruptChunkException(what + " stream does not end within the chunk size (" + out.length
                    + " bytes) or is cut short (" + n + " bytes decoded)");
        }
        return n;
    }

    /** Compresses {@code length} bytes; the result may be longer than the input for incompressible data. */
    public static byte[] compress(Aff4Codec codec, byte[] in, int offset, int length) {
        switch (codec) {
            case SNAPPY -> {
                SnappyCompressor c = SNAPPY_COMPRESSOR.get();
                byte[] out = new byte[c.maxCompressedLength(length)];
                int n = c.compress(in, offset, length, out, 0, out.length);
                return java.util.Arrays.copyOf(out, n);
            }
            case LZ4 -> {
                Lz4Compressor c = LZ4_COMPRESSOR.get();
                byte[] out = new byte[c.maxCompressedLength(length)];
                int n = c.compress(in, offset, length, out, 0, out.length);
                return java.util.Arrays.copyOf(out, n);
            }
            case DEFLATE, ZLIB -> {
                Deflater d = new Deflater(1, codec == Aff4Codec.DEFLATE);
                try {
                    d.setInput(in, offset, length);
                    d.finish();
                    byte[] out = new byte[length + length / 8 + 64];
                    int n = 0;
                    while (!d.finished()) {
                        if (n == out.length) {
                            out = java.util.Arrays.copyOf(out, out.length * 2);
                        }
                        n += d.deflate(out, n, out.length - n);
                    }
                    return java.util.Arrays.copyOf(out, n);
                } finally {
                    d.end();
                }
            }
            case STORED -> {
                return java.util.Arrays.copyOfRange(in, offset, offset + length);
            }
            default -> throw new IllegalStateException(codec.name());
        }
    }
}
