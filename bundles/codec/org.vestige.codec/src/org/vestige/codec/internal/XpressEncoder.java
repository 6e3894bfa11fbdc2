package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

/**
 * Plain LZ77 "Xpress" encoder following MS-XCA 2.3: greedy longest matches from hash chains over
 * the 8 KiB window the 13-bit offsets reach, lengths coded as the decoder reads them (3 bits, a
 * shared half-byte, a byte, 16 then 32 bits), and the last flag word padded with ones so that the
 * decoder finds the end marker. Reproduces the MS-XCA examples byte for byte.
 */
public final class XpressEncoder implements Compressor {

    /** The shared instance. */
    public static final XpressEncoder INSTANCE = new XpressEncoder();

    static final int MAX_OFFSET = 8192;
    private static final int HASH_BITS = 14;
    private static final int MAX_CHAIN = 48;

    private XpressEncoder() {
    }

    @Override
    public Codec codec() {
        return Codec.XPRESS;
    }

    @Override
    public int maxCompressedLength(int inLen) {
        // Every item costs at most its own length; one flag word per 32 items, plus the last.
        return inLen + 4 * (inLen / 32 + 2);
    }

    @Override
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        if (outLen < maxCompressedLength(inLen)) {
            throw new IllegalArgumentException(
                    "output room " + outLen + " is below maxCompressedLength " + maxCompressedLength(inLen));
        }
        MatchFinder finder = new MatchFinder(MAX_OFFSET, HASH_BITS, MAX_CHAIN);
        final int end = inOff + inLen;
        int pos = inOff;
        int op = outOff;
        int flagAt = op;
        op += 4;
        int flags = 0;
        int flagCount = 0;
        int halfByte = -1;

        while (pos < end) {
            long match = finder.find(in, pos, inOff, MAX_OFFSET, end - pos);
            if (match == 0) {
                out[op++] = in[pos];
                if (end - pos >= MatchFinder.MIN_MATCH) {
                    finder.insert(in, pos);
                }
                pos++;
                flags <<= 1;
            } else {
                int length = (int) (match >>> 32);
                int offset = (int) match;
                int token = (offset - 1) << 3;
                int rest = length - 3;
                if (rest < 7) {
                    Bytes.putShortLE(out, op, token | rest);
                    op += 2;
                } else {
                    Bytes.putShortLE(out, op, token | 7);
                    op += 2;
                    rest -= 7;
                    int nibble = Math.min(rest, 15);
                    if (halfByte < 0) {
                        halfByte = op;
                        out[op++] = (byte) nibble;
                    } else {
                        out[halfByte] |= (byte) (nibble << 4);
                        halfByte = -1;
                    }
                    if (rest >= 15) {
                        rest -= 15;
                        if (rest < 255) {
                            out[op++] = (byte) rest;
                        } else {
                            out[op++] = (byte) 255;
                            rest += 15 + 7; // the wide forms hold the whole length minus 3
                            if (rest < 1 << 16) {
                                Bytes.putShortLE(out, op, rest);
                                op += 2;
                            } else {
                                Bytes.putShortLE(out, op, 0);
                                Bytes.putIntLE(out, op + 2, rest);
                                op += 6;
                            }
                        }
                    }
                }
                finder.insertRange(in, pos, pos + length, end);
                pos += length;
                flags = flags << 1 | 1;
            }
            if (++flagCount == 32) {
                Bytes.putIntLE(out, flagAt, flags);
                flagAt = op;
                op += 4;
                flagCount = 0;
                flags = 0;
            }
        }
        // Pad the last flag word with ones: the decoder stops at a match flag with no input left.
        int padded = flagCount == 0 ? -1 : flags << (32 - flagCount) | (1 << (32 - flagCount)) - 1;
        Bytes.putIntLE(out, flagAt, padded);
        return op - outOff;
    }
}
