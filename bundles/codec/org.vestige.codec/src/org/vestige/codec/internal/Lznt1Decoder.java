package org.vestige.codec.internal;

import java.util.Arrays;
import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;

/**
 * LZNT1 decoder following MS-XCA 2.5.
 *
 * <p>The stream is a run of chunks, each holding up to 4096 bytes of output and compressed on its
 * own. A chunk starts with a 16-bit little-endian header: bits 0-11 are the chunk's data size minus
 * 1, bits 12-14 the signature 3, bit 15 set when the data is compressed. A header of 0 (or the end
 * of the input) ends the stream. Compressed data is groups of a flag byte (least significant bit
 * first; 1 = match) and eight items: a literal byte or a 16-bit token whose split between offset
 * and length depends on how far into the chunk the output is: 4 offset bits up to position 16,
 * growing by one bit at each power of two up to 12 bits. Every chunk but the last stands for 4096
 * bytes; a compressed chunk that decodes to less is followed by zeros, as Windows does.
 */
public final class Lznt1Decoder implements Decompressor {

    /** The shared instance. */
    public static final Lznt1Decoder INSTANCE = new Lznt1Decoder();

    static final String NAME = "lznt1";
    static final int CHUNK_SIZE = 4096;
    static final int SIGNATURE = 3;

    private Lznt1Decoder() {
    }

    @Override
    public Codec codec() {
        return Codec.LZNT1;
    }

    @Override
    public int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CodecException {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        return decode(in, inOff, inLen, out, outOff, outLen);
    }

    static int decode(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) throws CodecException {
        final int inEnd = inOff + inLen;
        final int outEnd = outOff + outLen;
        int ip = inOff;
        int op = outOff;

        while (op < outEnd) {
            if (inEnd - ip < 2) {
                if (ip == inEnd || in[ip] == 0) {
                    break; // end of input (a lone zero byte is half an end marker)
                }
                throw error(ip - inOff, op - outOff, "input ends inside a chunk header");
            }
            int header = Bytes.u16(in, ip);
            if (header == 0) {
                break; // end marker
            }
            int headerAt = ip;
            int signature = (header >>> 12) & 7;
            if (signature != SIGNATURE) {
                throw error(headerAt - inOff, op - outOff, String.format(
                        "chunk header 0x%04x has signature %d, expected %d", header, signature, SIGNATURE));
            }
            int size = (header & 0xFFF) + 1;
            ip += 2;
            if (inEnd - ip < size) {
                throw error(headerAt - inOff, op - outOff,
                        "chunk of " + size + " bytes is cut off by the end of the input (" + (inEnd - ip) + " left)");
            }
            int chunkEnd = ip + size;
            int chunkStart = op;
            if ((header & 0x8000) == 0) {
                if (size > outEnd - op) {
                    throw error(headerAt - inOff, op - outOff, "stored chunk of " + size
                            + " bytes overruns the output end (" + (outEnd - op) + " bytes left)");
                }
                System.arraycopy(in, ip, out, op, size);
                op += size;
                ip = chunkEnd;
            } else {
                op = decodeChunk(in, ip, chunkEnd, out, op, outEnd, inOff, outOff);
                ip = chunkEnd;
            }
            // Every chunk but the last stands for a full 4096 bytes.
            int decoded = op - chunkStart;
            if (decoded < CHUNK_SIZE && inEnd - ip >= 2 && Bytes.u16(in, ip) != 0) {
                int fill = Math.min(CHUNK_SIZE - decoded, outEnd - op);
                Arrays.fill(out, op, op + fill, (byte) 0);
                op += fill;
            }
        }
        return op - outOff;
    }

    private static int decodeChunk(byte[] in, int ip, int chunkEnd, byte[] out, int op, int outEnd, int inOff,
            int outOff) throws CodecException {
        final int chunkStart = op;
        final int chunkLimit = Math.min(outEnd, chunkStart + CHUNK_SIZE);
        while (ip < chunkEnd) {
            int flags = in[ip++] & 0xFF;
            if (flags == 0 && chunkEnd - ip >= 8 && chunkLimit - op >= 8) {
                // Eight literals: the common case in poorly compressible data.
                System.arraycopy(in, ip, out, op, 8);
                ip += 8;
                op += 8;
                continue;
            }
            for (int bit = 0; bit < 8 && ip < chunkEnd; bit++, flags >>>= 1) {
                if (op == outEnd) {
                    return op; // output full: stop, as for a page of known size
                }
                if ((flags & 1) == 0) {
                    if (op >= chunkLimit) {
                        throw overrun(ip - inOff, op - outOff, chunkStart, outEnd, op, 1);
                    }
                    out[op++] = in[ip++];
                    continue;
                }
                if (chunkEnd - ip < 2) {
                    throw error(ip - inOff, op - outOff, "chunk ends inside a match token");
                }
                int token = Bytes.u16(in, ip);
                int position = op - chunkStart;
                if (position == 0) {
                    throw error(ip - inOff, op - outOff, "match at the start of a chunk");
                }
                // Offset bits: 4 up to position 16, then one more per doubling, up to 12.
                int offsetBits = Math.max(4, 32 - Integer.numberOfLeadingZeros(position - 1));
                int lengthBits = 16 - offsetBits;
                int offset = (token >>> lengthBits) + 1;
                int length = (token & ((1 << lengthBits) - 1)) + 3;
                if (offset > position) {
                    throw error(ip - inOff, op - outOff, "match offset " + offset
                            + " reaches before the start of the chunk (position " + position + ")");
                }
                if (length > chunkLimit - op) {
                    throw overrun(ip - inOff, op - outOff, chunkStart, outEnd, op, length);
                }
                ip += 2;
                XpressDecoder.copyMatch(out, op, offset, length, outEnd);
                op += length;
            }
        }
        return op;
    }

    private static CodecException overrun(long inputOffset, long written, int chunkStart, int outEnd, int op,
            int length) {
        if (chunkStart + CHUNK_SIZE <= outEnd) {
            return error(inputOffset, written, (length == 1 ? "literal" : "match of " + length + " bytes")
                    + " runs past the 4096-byte chunk (position " + (op - chunkStart) + ")");
        }
        return error(inputOffset, written, (length == 1 ? "literal" : "match of " + length + " bytes")
                + " overruns the output end (" + (outEnd - op) + " bytes left)");
    }

    private static CodecException error(long inputOffset, long outputPosition, String problem) {
        return new CodecException(NAME, inputOffset, outputPosition, problem);
    }
}
