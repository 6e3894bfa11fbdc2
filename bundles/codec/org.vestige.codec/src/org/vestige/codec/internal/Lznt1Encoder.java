package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

/**
 * LZNT1 encoder (MS-XCA 2.5): each 4 KiB chunk compressed on its own with greedy hash-chain matches
 * whose offset and length fit the position-dependent split of the 16-bit token, or stored when that
 * does not save space. No end marker is written (Windows does not write one either); a chunk header
 * of 0 or the end of the data both end the stream.
 */
public final class Lznt1Encoder implements Compressor {

    /** The shared instance. */
    public static final Lznt1Encoder INSTANCE = new Lznt1Encoder();

    private static final int CHUNK = Lznt1Decoder.CHUNK_SIZE;

    private Lznt1Encoder() {
    }

    @Override
    public Codec codec() {
        return Codec.LZNT1;
    }

    @Override
    public int maxCompressedLength(int inLen) {
        return inLen + 2 * (inLen / CHUNK + 1);
    }

    @Override
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        if (outLen < maxCompressedLength(inLen)) {
            throw new IllegalArgumentException(
                    "output room " + outLen + " is below maxCompressedLength " + maxCompressedLength(inLen));
        }
        MatchFinder finder = new MatchFinder(CHUNK, 12, 32);
        byte[] scratch = new byte[CHUNK + CHUNK / 8 + 2];
        int op = outOff;
        for (int chunk = inOff; chunk < inOff + inLen; chunk += CHUNK) {
            int length = Math.min(CHUNK, inOff + inLen - chunk);
            finder.reset();
            int size = compressChunk(in, chunk, length, scratch, finder);
            if (size < length) {
                Bytes.putShortLE(out, op, 0x8000 | Lznt1Decoder.SIGNATURE << 12 | (size - 1));
                System.arraycopy(scratch, 0, out, op + 2, size);
                op += 2 + size;
            } else {
                Bytes.putShortLE(out, op, Lznt1Decoder.SIGNATURE << 12 | (length - 1));
                System.arraycopy(in, chunk, out, op + 2, length);
                op += 2 + length;
            }
        }
        return op - outOff;
    }

    /** Compresses one chunk into {@code out}; returns the size, or a size {@code >= length} to store it. */
    private static int compressChunk(byte[] in, int start, int length, byte[] out, MatchFinder finder) {
        final int end = start + length;
        int pos = start;
        int op = 0;
        while (pos < end) {
            int flagAt = op++;
            int flags = 0;
            for (int bit = 0; bit < 8 && pos < end; bit++) {
                if (op + 2 > length) {
                    return length; // no saving: store the chunk
                }
                int position = pos - start;
                long match = 0;
                if (position > 0) {
                    int offsetBits = Math.max(4, 32 - Integer.numberOfLeadingZeros(position - 1));
                    int lengthBits = 16 - offsetBits;
                    int maxLength = Math.min((1 << lengthBits) - 1 + 3, end - pos);
                    match = finder.find(in, pos, start, position, maxLength);
                    if (match != 0) {
                        int matchLength = (int) (match >>> 32);
                        int offset = (int) match;
                        Bytes.putShortLE(out, op, (offset - 1) << lengthBits | (matchLength - 3));
                        op += 2;
                        flags |= 1 << bit;
                        finder.insertRange(in, pos, pos + matchLength, end);
                        pos += matchLength;
                    }
                }
                if (match == 0) {
                    out[op++] = in[pos];
                    if (end - pos >= MatchFinder.MIN_MATCH) {
                        finder.insert(in, pos);
                    }
                    pos++;
                }
            }
            out[flagAt] = (byte) flags;
        }
        return op;
    }
}
