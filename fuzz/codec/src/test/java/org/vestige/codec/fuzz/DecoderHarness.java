package org.vestige.codec.fuzz;

import java.util.Arrays;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.Decompressor;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * What every decoder must do with any input: return a count within the output range or throw
 * {@link CodecException}; never write outside the output range, never touch the input, never throw
 * anything else, never hang (libFuzzer's per-input timeout catches that).
 *
 * <p>Half of the inputs are raw bytes handed to the decoder; the other half are well-formed streams
 * made by the codec's encoder from fuzzer bytes and then corrupted at fuzzer-chosen places, which
 * reaches deep into the decoders faster than raw bytes alone.
 */
final class DecoderHarness {

    private static final int GUARD = 16;
    private static final byte CANARY = (byte) 0x5A;

    private DecoderHarness() {
    }

    static void run(Codec codec, FuzzedDataProvider data) {
        int outLen = switch (data.consumeInt(0, 3)) {
            case 0 -> 4096;
            case 1 -> 65536;
            default -> data.consumeInt(0, 200_000);
        };
        byte[] in;
        if (data.consumeBoolean()) {
            in = data.consumeRemainingAsBytes();
        } else {
            int edits = data.consumeInt(0, 8);
            int[] positions = new int[edits];
            byte[] values = new byte[edits];
            for (int i = 0; i < edits; i++) {
                positions[i] = data.consumeInt(0, Integer.MAX_VALUE);
                values[i] = data.consumeByte();
            }
            int cut = data.consumeInt(0, 64);
            int copies = data.consumeInt(1, 48);
            byte[] plain = tile(data.consumeRemainingAsBytes(), copies);
            in = codec.compressor().compress(plain);
            for (int i = 0; i < edits && in.length > 0; i++) {
                in[positions[i] % in.length] = values[i];
            }
            in = Arrays.copyOf(in, Math.max(0, in.length - cut));
        }
        decode(codec.decompressor(), in, outLen);
    }

    /**
     * Repeats {@code unit} (libFuzzer inputs stay under 4 KiB) with a running byte mixed in, so that
     * encoded streams also span several 64 KiB Huffman blocks and LZNT1 chunks.
     */
    private static byte[] tile(byte[] unit, int copies) {
        if (copies == 1 || unit.length == 0) {
            return unit;
        }
        byte[] plain = new byte[unit.length * copies];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(unit, 0, plain, c * unit.length, unit.length);
            plain[c * unit.length] ^= (byte) c;
        }
        return plain;
    }

    static void decode(Decompressor d, byte[] in, int outLen) {
        byte[] input = new byte[in.length + 2 * GUARD];
        Arrays.fill(input, (byte) 0xFF);
        System.arraycopy(in, 0, input, GUARD, in.length);
        byte[] before = input.clone();
        byte[] out = new byte[outLen + 2 * GUARD];
        Arrays.fill(out, CANARY);
        try {
            int n = d.decompress(input, GUARD, in.length, out, GUARD, outLen);
            if (n < 0 || n > outLen) {
                throw new IllegalStateException(d.codec().id() + " returned " + n + " for room " + outLen);
            }
        } catch (CodecException e) {
            if (!e.getMessage().startsWith(d.codec().id() + ": ")) {
                throw new IllegalStateException("message without codec name: " + e.getMessage());
            }
        }
        for (int i = 0; i < GUARD; i++) {
            if (out[i] != CANARY || out[GUARD + outLen + i] != CANARY) {
                throw new IllegalStateException(d.codec().id() + " wrote outside the output range");
            }
        }
        if (!Arrays.equals(before, input)) {
            throw new IllegalStateException(d.codec().id() + " changed its input");
        }
    }
}
