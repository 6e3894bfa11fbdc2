package org.vestige.codec.internal;

import java.util.Arrays;
import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;

/**
 * LZ77+Huffman "Xpress Huffman" decoder following MS-XCA 2.2.4.
 *
 * <p>The stream is a run of blocks, each covering (at least) 64 KiB of output: a 256-byte table of
 * 4-bit code lengths for 512 symbols (low nibble first), then a bit stream read as 16-bit
 * little-endian words, most significant bit first, with two words always buffered. Symbols below
 * 256 are literals; the others are matches whose low 4 bits give the length minus 3 (15: continued
 * in a byte, then a 16-bit value, read from the byte stream between the bit-stream words) and whose
 * high bits give the bit length of the offset. Symbol 256 with the input exhausted ends the stream.
 * A match may run past the block's 64 KiB; the next block starts where the previous one stopped
 * reading, after the two buffered words.
 */
public final class XpressHuffmanDecoder implements Decompressor {

    /** The shared instance. */
    public static final XpressHuffmanDecoder INSTANCE = new XpressHuffmanDecoder();

    static final String NAME = "xpress-huffman";

    /** Output covered by one Huffman table. */
    static final int BLOCK_SIZE = 65536;
    /** Size of the code-length table at the start of every block. */
    static final int TABLE_SIZE = 256;
    /** Longest code, and so the number of bits one table lookup decodes. */
    static final int MAX_CODE_BITS = 15;
    static final int SYMBOLS = 512;

    /** Decoding tables: one lookup of the next 15 bits gives (symbol << 4 | code length). */
    private static final ThreadLocal<short[]> TABLES = ThreadLocal.withInitial(() -> new short[1 << MAX_CODE_BITS]);

    private XpressHuffmanDecoder() {
    }

    @Override
    public Codec codec() {
        return Codec.XPRESS_HUFFMAN;
    }

    @Override
    public int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws CodecException {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        return decode(in, inOff, inLen, out, outOff, outLen, TABLES.get());
    }

    static int decode(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen, short[] table)
            throws CodecException {
        final int inEnd = inOff + inLen;
        final int outEnd = outOff + outLen;
        int ip = inOff;
        int op = outOff;

        while (op < outEnd && ip < inEnd) {
            if (inEnd - ip < TABLE_SIZE + 4) {
                throw error(ip - inOff, op - outOff, "input ends inside a block header ("
                        + (inEnd - ip) + " bytes left, a Huffman table and two bit-stream words need 260)");
            }
            buildTable(in, ip, table, ip - inOff, op - outOff);
            ip += TABLE_SIZE;
            int bits = Bytes.u16(in, ip) << 16 | Bytes.u16(in, ip + 2);
            ip += 4;
            int extra = 16; // buffered bits beyond the 16 that are always available
            final int blockEnd = outEnd - op > BLOCK_SIZE ? op + BLOCK_SIZE : outEnd;

            while (op < blockEnd) {
                int entry = table[bits >>> (32 - MAX_CODE_BITS)];
                int symbol = entry >>> 4;
                int codeBits = entry & 15;
                bits <<= codeBits;
                extra -= codeBits;
                if (extra < 0) {
                    if (inEnd - ip < 2) {
                        throw error(ip - inOff, op - outOff, "input ends inside the bit stream");
                    }
                    bits |= Bytes.u16(in, ip) << -extra;
                    ip += 2;
                    extra += 16;
                }
                if (symbol < 256) {
                    out[op++] = (byte) symbol;
                    continue;
                }
                if (symbol == 256 && ip == inEnd) {
                    return op - outOff; // end-of-stream symbol
                }
                int symbolAt = ip;
                int length = symbol & 15;
                int offsetBits = (symbol >>> 4) & 15;
                if (length == 15) {
                    if (ip >= inEnd) {
                        throw error(ip - inOff, op - outOff, "input ends where a match length byte is due");
                    }
                    length = in[ip++] & 0xFF;
                    if (length == 255) {
                        if (inEnd - ip < 2) {
                            throw error(ip - inOff, op - outOff, "input ends inside a 16-bit match length");
                        }
                        long wide = Bytes.u16(in, ip);
                        ip += 2;
                        if (wide == 0) {
                            // Later Windows versions extend to 32 bits the same way plain LZ77 does.
                            if (inEnd - ip < 4) {
                                throw error(ip - inOff, op - outOff, "input ends inside a 32-bit match length");
                            }
                            wide = Bytes.intLE(in, ip) & 0xFFFFFFFFL;
                            ip += 4;
                        }
                        if (wide < 15) {
                            throw error(symbolAt - inOff, op - outOff,
                                    "extended match length " + wide + " is below the minimum of 15");
                        }
                        if (wide + 3 > outEnd - op) {
                            throw error(symbolAt - inOff, op - outOff, "match of " + (wide + 3)
                                    + " bytes overruns the output end (" + (outEnd - op) + " bytes left)");
                        }
                        length = (int) wide - 15;
                    }
                    length += 15;
                }
                length += 3;
                int offset;
                if (offsetBits == 0) {
                    offset = 1;
                } else {
                    offset = (bits >>> (32 - offsetBits)) + (1 << offsetBits);
                    bits <<= offsetBits;
                    extra -= offsetBits;
                    if (extra < 0) {
                        if (inEnd - ip < 2) {
                            throw error(ip - inOff, op - outOff, "input ends inside the bit stream");
                        }
                        bits |= Bytes.u16(in, ip) << -extra;
                        ip += 2;
                        extra += 16;
                    }
                }
                int written = op - outOff;
                if (offset > written) {
                    throw error(symbolAt - inOff, written,
                            "match offset " + offset + " reaches before the start of the output");
                }
                if (length > outEnd - op) {
                    throw error(symbolAt - inOff, written, "match of " + length
                            + " bytes overruns the output end (" + (outEnd - op) + " bytes left)");
                }
                XpressDecoder.copyMatch(out, op, offset, length, outEnd);
                op += length;
            }
        }
        return op - outOff;
    }

    /**
     * Builds the canonical decoding table (codes assigned in order of length, then symbol) from the
     * 256 bytes at {@code at}. The code must be complete: every 15-bit pattern decodes.
     */
    static void buildTable(byte[] in, int at, short[] table, long inputOffset, long written) throws CodecException {
        int[] count = new int[MAX_CODE_BITS + 1];
        for (int i = 0; i < TABLE_SIZE; i++) {
            int b = in[at + i] & 0xFF;
            count[b & 15]++;
            count[b >>> 4]++;
        }
        int[] next = new int[MAX_CODE_BITS + 1];
        int used = 0;
        for (int len = 1; len <= MAX_CODE_BITS; len++) {
            next[len] = used;
            used += count[len] << (MAX_CODE_BITS - len);
        }
        if (used != 1 << MAX_CODE_BITS) {
            throw error(inputOffset, written, "Huffman table is " + (used > 1 << MAX_CODE_BITS
                    ? "over-subscribed" : "incomplete") + " (code space " + used + " of " + (1 << MAX_CODE_BITS)
                    + ")");
        }
        for (int symbol = 0; symbol < SYMBOLS; symbol++) {
            int b = in[at + (symbol >>> 1)] & 0xFF;
            int len = (symbol & 1) == 0 ? b & 15 : b >>> 4;
            if (len != 0) {
                int start = next[len];
                int end = start + (1 << (MAX_CODE_BITS - len));
                Arrays.fill(table, start, end, (short) (symbol << 4 | len));
                next[len] = end;
            }
        }
    }

    private static CodecException error(long inputOffset, long outputPosition, String problem) {
        return new CodecException(NAME, inputOffset, outputPosition, problem);
    }
}
