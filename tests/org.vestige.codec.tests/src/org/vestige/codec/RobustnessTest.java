package org.vestige.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/**
 * Mutated streams (fixed seed, 20,000 per codec) either decode or fail with a {@link CodecException}:
 * no other exception, no write outside the output range, no change to the input, no hang.
 */
public class RobustnessTest {

    private static final int MUTANTS = 20_000;
    private static final int GUARD = 64;
    private static final byte CANARY = (byte) 0xA5;

    private static List<byte[]> seeds(Codec codec, Random rnd) {
        List<byte[]> seeds = new ArrayList<>();
        Compressor c = codec.compressor();
        seeds.add(c.compress(Samples.page(rnd, 4096)));
        seeds.add(c.compress(Samples.text(rnd, 4096)));
        seeds.add(c.compress(Samples.text(rnd, 70_000)));
        seeds.add(c.compress(Samples.random(rnd, 600)));
        seeds.add(c.compress(new byte[4096]));
        seeds.add(c.compress(Samples.periodic(rnd, 5000, 3)));
        return seeds;
    }

    private static byte[] mutate(byte[] seed, List<byte[]> seeds, Random rnd) {
        byte[] b = seed.clone();
        int ops = 1 + rnd.nextInt(4);
        for (int i = 0; i < ops && b.length > 0; i++) {
            switch (rnd.nextInt(7)) {
                case 0 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt();
                case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                case 3 -> {
                    byte[] special = { 0, (byte) 0xFF, 0x7F, (byte) 0x80, 0x0F, (byte) 0xF0, 0x07 };
                    b[rnd.nextInt(b.length)] = special[rnd.nextInt(special.length)];
                }
                case 4 -> {
                    // Splice: the head of this stream, the tail of another.
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    int cut = rnd.nextInt(b.length + 1);
                    int from = rnd.nextInt(other.length + 1);
                    byte[] s = Arrays.copyOf(b, cut + other.length - from);
                    System.arraycopy(other, from, s, cut, other.length - from);
                    b = s;
                }
                case 5 -> {
                    int at = rnd.nextInt(b.length);
                    int n = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    for (int k = 0; k < n; k++) {
                        b[at + k] = (byte) rnd.nextInt();
                    }
                }
                default -> b = Samples.random(rnd, rnd.nextInt(300));
            }
        }
        return b;
    }

    private static void mutateAndDecode(Codec codec, long seed) {
        Random rnd = new Random(seed);
        List<byte[]> seeds = seeds(codec, rnd);
        Decompressor d = codec.decompressor();
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] in = mutate(seeds.get(rnd.nextInt(seeds.size())), seeds, rnd);
            byte[] inCopy = in.clone();
            int outLen = switch (rnd.nextInt(3)) {
                case 0 -> 4096;
                case 1 -> rnd.nextInt(80_000);
                default -> 70_000;
            };
            // Put the input in the middle of a larger array as well, to catch reads outside its range.
            int inOff = rnd.nextInt(8);
            byte[] inArray = new byte[in.length + inOff + 8];
            Arrays.fill(inArray, (byte) 0xFF);
            System.arraycopy(in, 0, inArray, inOff, in.length);
            byte[] out = new byte[GUARD + outLen + GUARD];
            Arrays.fill(out, CANARY);
            try {
                int n = d.decompress(inArray, inOff, in.length, out, GUARD, outLen);
                assertTrue(codec.id() + " returned " + n, n >= 0 && n <= outLen);
                decoded++;
            } catch (CodecException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith(codec.id() + ": "));
                rejected++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError(codec.id() + " mutant " + i + " (" + in.length + " bytes, output room "
                        + outLen + "): " + e, e);
            }
            for (int g = 0; g < GUARD; g++) {
                if (out[g] != CANARY || out[GUARD + outLen + g] != CANARY) {
                    fail(codec.id() + " mutant " + i + " wrote outside the output range");
                }
            }
            assertArrayEquals(codec.id() + " mutant " + i + " changed its input", inCopy,
                    Arrays.copyOfRange(inArray, inOff, inOff + in.length));
        }
        System.out.printf("%s: %,d mutants, %,d decoded, %,d rejected%n", codec.id(), MUTANTS, decoded, rejected);
    }

    @Test(timeout = 120_000)
    public void xpress() {
        mutateAndDecode(Codec.XPRESS, 1);
    }

    @Test(timeout = 120_000)
    public void xpressHuffman() {
        mutateAndDecode(Codec.XPRESS_HUFFMAN, 2);
    }

    @Test(timeout = 120_000)
    public void lznt1() {
        mutateAndDecode(Codec.LZNT1, 3);
    }

    @Test(timeout = 120_000)
    public void lz4() {
        mutateAndDecode(Codec.LZ4, 4);
    }

    @Test(timeout = 120_000)
    public void snappy() {
        mutateAndDecode(Codec.SNAPPY, 5);
    }
}
