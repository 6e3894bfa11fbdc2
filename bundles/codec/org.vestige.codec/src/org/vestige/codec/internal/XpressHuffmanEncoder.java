package org.vestige.codec.internal;

import java.util.Objects;

import org.vestige.codec.Codec;
import org.vestige.codec.Compressor;

/**
 * LZ77+Huffman "Xpress Huffman" encoder (MS-XCA 2.1/2.2): blocks of 64 KiB of input, each parsed
 * greedily with hash chains over a 64 KiB window, then coded with a length-limited canonical Huffman
 * code whose 4-bit lengths form the block's 256-byte table.
 *
 * <p>The bit stream is written exactly as the decoder reads it: 16-bit words are reserved in the
 * output at the moment the decoder will fetch them (it keeps two buffered), and the extra length
 * bytes of long matches go between them where the decoder finds them. The last block ends with the
 * end-of-stream symbol 256; since a match of length 3 at offset 1 also codes as symbol 256, such
 * matches are written as a literal instead.
 */
public final class XpressHuffmanEncoder implements Compressor {

    /** The shared instance. */
    public static final XpressHuffmanEncoder INSTANCE = new XpressHuffmanEncoder();

    private static final int BLOCK = XpressHuffmanDecoder.BLOCK_SIZE;
    private static final int MAX_BITS = XpressHuffmanDecoder.MAX_CODE_BITS;
    private static final int MAX_OFFSET = 65535;
    private static final int MAX_LENGTH = 65535 + 3;
    private static final int EOF_SYMBOL = 256;

    private XpressHuffmanEncoder() {
    }

    @Override
    public Codec codec() {
        return Codec.XPRESS_HUFFMAN;
    }

    @Override
    public int maxCompressedLength(int inLen) {
        // Per block: table, at worst 15 bits per literal, and the buffered words and EOF.
        int blocks = inLen / BLOCK + 1;
        return blocks * (XpressHuffmanDecoder.TABLE_SIZE + 8) + inLen / 16 * 15 * 2 + inLen % 16 * 2 + 16;
    }

    @Override
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        if (outLen < maxCompressedLength(inLen)) {
            throw new IllegalArgumentException(
                    "output room " + outLen + " is below maxCompressedLength " + maxCompressedLength(inLen));
        }
        MatchFinder finder = new MatchFinder(MAX_OFFSET + 1, 16, 32);
        int[] items = new int[BLOCK]; // literal byte, or length << 16 | offset - 1 with bit 31 set
        int[] lengthsOf = new int[BLOCK];
        final int end = inOff + inLen;
        int pos = inOff;
        BitWriter w = new BitWriter(out, outOff);
        boolean last;
        do {
            int blockEnd = end - pos > BLOCK ? pos + BLOCK : end;
            int blockLimit = pos + BLOCK; // the decoder starts a new table once output reaches this
            int[] freq = new int[XpressHuffmanDecoder.SYMBOLS];
            int n = 0;
            while (pos < blockEnd) {
                long match = finder.find(in, pos, inOff, MAX_OFFSET, Math.min(MAX_LENGTH, end - pos));
                int length = (int) (match >>> 32);
                int offset = (int) match;
                if (match == 0 || (length == 3 && offset == 1)) {
                    int literal = in[pos] & 0xFF;
                    items[n] = literal;
                    freq[literal]++;
                    if (end - pos >= MatchFinder.MIN_MATCH) {
                        finder.insert(in, pos);
                    }
                    pos++;
                } else {
                    items[n] = Integer.MIN_VALUE | offset;
                    lengthsOf[n] = length;
                    freq[matchSymbol(length, offset)]++;
                    finder.insertRange(in, pos, pos + length, end);
                    pos += length;
                }
                n++;
            }
            last = pos >= end;
            boolean eof = last && pos < blockLimit;
            if (eof) {
                freq[EOF_SYMBOL]++;
            }
            int[] lengths = HuffmanLengths.build(freq, MAX_BITS);
            int[] codes = HuffmanLengths.canonicalCodes(lengths, MAX_BITS);
            int tableAt = w.position();
            for (int i = 0; i < XpressHuffmanDecoder.TABLE_SIZE; i++) {
                out[tableAt + i] = (byte) (lengths[2 * i] | lengths[2 * i + 1] << 4);
            }
            w.startBlock(tableAt + XpressHuffmanDecoder.TABLE_SIZE);
            for (int i = 0; i < n; i++) {
                int item = items[i];
                if (item >= 0) {
                    w.bits(codes[item], lengths[item]);
                    continue;
                }
                int offset = item & 0xFFFF;
                int length = lengthsOf[i];
                int symbol = matchSymbol(length, offset);
                w.bits(codes[symbol], lengths[symbol]);
                int rest = length - 3;
                if (rest >= 15) {
                    if (rest - 15 < 255) {
                        w.rawByte(rest - 15);
                    } else {
                        w.rawByte(255);
                        w.rawShort(rest);
                    }
                }
                int offsetBits = 31 - Integer.numberOfLeadingZeros(offset);
                w.bits(offset - (1 << offsetBits), offsetBits);
            }
            if (eof) {
                w.bits(codes[EOF_SYMBOL], lengths[EOF_SYMBOL]);
            }
            w.endBlock();
        } while (!last);
        return w.position() - outOff;
    }

    private static int matchSymbol(int length, int offset) {
        int offsetBits = 31 - Integer.numberOfLeadingZeros(offset);
        return 256 | offsetBits << 4 | Math.min(length - 3, 15);
    }

    /**
     * Writes MSB-first bits into 16-bit little-endian words, reserving each word's place in the
     * output when the decoder would fetch it: two at the block start, then one each time the bits
     * consumed reach into the last fetched word.
     */
    private static final class BitWriter {
        private final byte[] out;
        private int op;
        private final int[] slots = new int[8]; // positions of reserved words, by word index mod 8
        private int reserved;
        private int completed;
        private long consumed;
        private int acc;
        private int accBits;

        BitWriter(byte[] out, int op) {
            this.out = out;
            this.op = op;
        }

        int position() {
            return op;
        }

        void startBlock(int at) {
            op = at;
            reserved = 0;
            completed = 0;
            consumed = 0;
            acc = 0;
            accBits = 0;
            reserve();
            reserve();
        }

        private void reserve() {
            slots[reserved & 7] = op;
            op += 2;
            reserved++;
        }

        void bits(int value, int count) {
            if (count == 0) {
                return;
            }
            acc = acc << count | value;
            accBits += count;
            consumed += count;
            if (consumed > 16L * (reserved - 1)) {
                reserve();
            }
            while (accBits >= 16) {
                int word = acc >>> (accBits - 16) & 0xFFFF;
                Bytes.putShortLE(out, slots[completed & 7], word);
                completed++;
                accBits -= 16;
            }
        }

        void rawByte(int b) {
            out[op++] = (byte) b;
        }

        void rawShort(int v) {
            Bytes.putShortLE(out, op, v);
            op += 2;
        }

        void endBlock() {
            if (accBits > 0) {
                Bytes.putShortLE(out, slots[completed & 7], acc << (16 - accBits) & 0xFFFF);
                completed++;
                accBits = 0;
            }
            while (completed < reserved) {
                Bytes.putShortLE(out, slots[completed & 7], 0);
                completed++;
            }
        }
    }
}
