package org.vestige.codec.internal;

import java.util.Arrays;
import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;

/**
 * Plain LZ77 "Xpress" decoder following MS-XCA 2.4.4.
 *
 * <p>The stream interleaves 32-bit little-endian flag words (consumed most significant bit first;
 * 0 = literal byte, 1 = match) with literals and 16-bit match tokens. A token holds the length
 * minus 3 in its low 3 bits and the offset minus 1 above them; length 7 continues in a half-byte
 * shared between two matches, then a byte, then a 16-bit and finally a 32-bit value. The stream ends
 * at a match flag with the input exhausted; the compressor pads the last flag word with ones for it.
 *
 * <p>Windows decodes memory pages into a buffer of exactly 4096 bytes and stops when it is full;
 * {@link #decode} does the same, so a page stream ends either way.
 */
public final class XpressDecoder implements Decompressor {

    /** The shared instance. */
    public static final XpressDecoder INSTANCE = new XpressDecoder();

    static final String NAME = "xpress";

    /** Index of the flag word in the state array filled by {@link #decode}. */
    public static final int STATE_FLAGS = 0;
    /** Index of the number of unconsumed flag bits in the state array filled by {@link #decode}. */
    public static final int STATE_FLAG_COUNT = 1;

    private XpressDecoder() {
    }

    @Override
    public Codec codec() {
        return Codec.XPRESS;
    }

    @Override
    public int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CodecException {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        return (int) decode(in, inOff, inLen, out, outOff, outLen, null);
    }

    /**
     * Decodes until the end-of-stream flag or until {@code outLen} bytes are written.
     *
     * @param state when not null, receives the flag word left-aligned ({@link #STATE_FLAGS}) and the
     *              number of its flags not yet used ({@link #STATE_FLAG_COUNT}) where decoding stopped
     * @return the input bytes consumed in the high 32 bits, the output bytes written in the low 32
     */
    public static long decode(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen, int[] state)
            throws CodecException {
        final int inEnd = inOff + inLen;
        final int outEnd = outOff + outLen;
        int ip = inOff;
        int op = outOff;
        int flags = 0; // unused flags, left-aligned: bit 31 is the next one
        int flagCount = 0;
        int halfByte = -1; // input index of the length byte whose high half is still unused

        while (op < outEnd) {
            if (flagCount == 0) {
                if (inEnd - ip < 4) {
                    throw error(ip - inOff, op - outOff, inEnd - ip == 0
                            ? "input ends where a flag word is due"
                            : "input ends inside a flag word");
                }
                flags = Bytes.intLE(in, ip);
                ip += 4;
                flagCount = 32;
            }
            // A run of literals: the leading zero flags.
            int run = Integer.numberOfLeadingZeros(flags);
            if (run > 0) {
                if (run >= flagCount) {
                    run = flagCount;
                }
                int room = outEnd - op;
                if (run > room) {
                    run = room;
                }
                if (run > inEnd - ip) {
                    throw error(inEnd - inOff, op - outOff + (inEnd - ip),
                            "input ends inside a run of " + run + " literals");
                }
                if (inEnd - ip >= 32 && outEnd - op >= 32) {
                    // A run is at most 32 literals: copy 32 bytes whatever its length; the surplus
                    // lies inside the output range and is overwritten by what follows.
                    Bytes.putLongLE(out, op, Bytes.longLE(in, ip));
                    Bytes.putLongLE(out, op + 8, Bytes.longLE(in, ip + 8));
                    Bytes.putLongLE(out, op + 16, Bytes.longLE(in, ip + 16));
                    Bytes.putLongLE(out, op + 24, Bytes.longLE(in, ip + 24));
                } else {
                    for (int i = 0; i < run; i++) {
                        out[op + i] = in[ip + i];
                    }
                }
                ip += run;
                op += run;
                flagCount -= run;
                flags = run == 32 ? 0 : flags << run;
                continue;
            }
            // A match flag.
            flags <<= 1;
            flagCount--;
            if (ip == inEnd) {
                break; // end of stream
            }
            if (inEnd - ip < 2) {
                throw error(ip - inOff, op - outOff, "input ends inside a match token");
            }
            int token = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
            int tokenAt = ip;
            ip += 2;
            int offset = (token >>> 3) + 1;
            int length = token & 7;
            if (length == 7) {
                if (halfByte < 0) {
                    if (ip >= inEnd) {
                        throw error(ip - inOff, op - outOff, "input ends where a match length half-byte is due");
                    }
                    length = in[ip] & 0x0F;
                    halfByte = ip++;
                } else {
                    length = (in[halfByte] & 0xFF) >>> 4;
                    halfByte = -1;
                }
                if (length == 15) {
                    if (ip >= inEnd) {
                        throw error(ip - inOff, op - outOff, "input ends where a match length byte is due");
                    }
                    length = in[ip++] & 0xFF;
                    if (length == 255) {
                        // MS-XCA stores the whole length minus 3 here; below 22 the shorter forms apply.
                        if (inEnd - ip < 2) {
                            throw error(ip - inOff, op - outOff, "input ends inside a 16-bit match length");
                        }
                        long wide = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
                        ip += 2;
                        if (wide == 0) {
                            if (inEnd - ip < 4) {
                                throw error(ip - inOff, op - outOff, "input ends inside a 32-bit match length");
                            }
                            wide = Bytes.intLE(in, ip) & 0xFFFFFFFFL;
                            ip += 4;
                        }
                        if (wide < 22) {
                            throw error(tokenAt - inOff, op - outOff,
                                    "extended match length " + wide + " is below the minimum of 22");
                        }
                        if (wide + 3 > outEnd - op) {
                            throw error(tokenAt - inOff, op - outOff, "match of " + (wide + 3)
                                    + " bytes overruns the output end (" + (outEnd - op) + " bytes left)");
                        }
                        length = (int) wide - 22;
                    }
                    length += 15;
                }
                length += 7;
            }
            length += 3;
            int written = op - outOff;
            if (offset > written) {
                throw error(tokenAt - inOff, written,
                        "match offset " + offset + " reaches before the start of the output");
            }
            if (length > outEnd - op) {
                throw error(tokenAt - inOff, written,
                        "match of " + length + " bytes overruns the output end (" + (outEnd - op) + " bytes left)");
            }
            copyMatch(out, op, offset, length, outEnd);
            op += length;
        }
        if (state != null) {
            state[STATE_FLAGS] = flags;
            state[STATE_FLAG_COUNT] = flagCount;
        }
        return ((long) (ip - inOff) << 32) | (op - outOff);
    }

    /**
     * Copies a match of {@code length} bytes from {@code offset} back; the source may overlap the
     * target. May write up to 7 bytes past the match, but never at or past {@code outEnd}.
     */
    static void copyMatch(byte[] out, int op, int offset, int length, int outEnd) {
        int src = op - offset;
        if (offset >= 8 && length <= 64 && outEnd - op >= length + 8) {
            // Eight bytes at a time: with the source at least 8 back, each load reads only bytes
            // already final, so overlapping matches come out right too.
            for (int i = 0; i < length; i += 8) {
                Bytes.putLongLE(out, op + i, Bytes.longLE(out, src + i));
            }
        } else if (length <= 16) {
            for (int i = 0; i < length; i++) {
                out[op + i] = out[src + i];
            }
        } else if (offset >= length) {
            System.arraycopy(out, src, out, op, length);
        } else if (offset == 1) {
            Arrays.fill(out, op, op + length, out[src]);
        } else {
            // The source overlaps the target, so the last `offset` bytes repeat. [src, p) always holds
            // a whole number of periods, so it can be copied to p in one piece, doubling each time.
            int end = op + length;
            int p = op;
            while (p < end) {
                int n = Math.min(p - src, end - p);
                System.arraycopy(out, src, out, p, n);
                p += n;
            }
        }
    }

    private static CodecException error(long inputOffset, long outputPosition, String problem) {
        return new CodecException(NAME, inputOffset, outputPosition, problem);
    }
}
