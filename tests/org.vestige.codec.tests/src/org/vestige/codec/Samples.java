package org.vestige.codec;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test inputs built by code: incompressible, text-like and memory-page-like data. */
final class Samples {

    private Samples() {
    }

    static byte[] random(Random rnd, int size) {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        return b;
    }

    /** English-like text from a small vocabulary, so that matches of many lengths and offsets occur. */
    static byte[] text(Random rnd, int size) {
        String[] words = { "the", "memory", "compression", "store", "page", "kernel", "process", "handle",
                "virtual", "address", "Windows", "registry", "hive", "\\Device\\HarddiskVolume3\\",
                "C:\\Windows\\System32\\", "ntoskrnl.exe", "of", "and", "a", "in", "to", "\r\n" };
        byte[] b = new byte[size];
        int p = 0;
        while (p < size) {
            byte[] w = (words[rnd.nextInt(words.length)] + ' ').getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, size - p);
            System.arraycopy(w, 0, b, p, n);
            p += n;
        }
        return b;
    }

    /**
     * Something like a page of kernel or heap memory: runs of zeros, 8-byte pointers sharing high
     * bits, small integers, UTF-16 strings, and some noise.
     */
    static byte[] page(Random rnd, int size) {
        byte[] b = new byte[size];
        int p = 0;
        long base = 0xFFFF_A000_0000_0000L | (long) rnd.nextInt(1 << 20) << 12;
        while (p < size) {
            int kind = rnd.nextInt(5);
            int n = Math.min(size - p, 8 + rnd.nextInt(120));
            switch (kind) {
                case 0 -> p += n; // zeros
                case 1 -> {
                    for (int i = 0; i + 8 <= n; i += 8) {
                        long v = base + rnd.nextInt(1 << 16) * 16L;
                        for (int k = 0; k < 8; k++) {
                            b[p + i + k] = (byte) (v >>> (8 * k));
                        }
                    }
                    p += n;
                }
                case 2 -> {
                    String s = "Software\\Microsoft\\Windows\\CurrentVersion\\Run".substring(0, 10 + rnd.nextInt(30));
                    byte[] u = s.getBytes(StandardCharsets.UTF_16LE);
                    int m = Math.min(u.length, size - p);
                    System.arraycopy(u, 0, b, p, m);
                    p += m;
                }
                case 3 -> {
                    for (int i = 0; i + 4 <= n; i += 4) {
                        b[p + i] = (byte) rnd.nextInt(16);
                    }
                    p += n;
                }
                default -> {
                    for (int i = 0; i < n && p + i < size; i++) {
                        b[p + i] = (byte) rnd.nextInt();
                    }
                    p += n;
                }
            }
        }
        return b;
    }

    /** {@code size} bytes of one repeated pattern of {@code period} bytes. */
    static byte[] periodic(Random rnd, int size, int period) {
        byte[] unit = random(rnd, period);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = unit[i % period];
        }
        return b;
    }
}
