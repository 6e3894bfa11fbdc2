package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * What a frame no structure uses holds in a dense image: the leftovers a running machine's free and standby
 * lists carry. Each frame's content is a function of the seed and the frame number alone, so an image is
 * reproducible and a frame can be generated on its own, in any order, on any thread.
 *
 * <p>The kinds and their shares: zeroed pages (the zeroed list, 20%); text as programs leave it, ASCII (20%)
 * and UTF-16LE (10%), made of paths, registry keys, URLs and log lines; high-entropy bytes as encrypted or
 * random data leaves them (20%); compressed data, a real raw-deflate stream of such text mixed with binary
 * data (10%); and freed pool pages (20%): 16-byte-aligned pool headers with the tags of common kernel
 * allocations, most marked free, their bodies text or noise. The pool tags are never those Vestige's scans look for (processes, threads,
 * files, drivers, loader entries, network endpoints), so that every object a scan reports was laid out on
 * purpose; the stale objects a dense image holds on purpose are written apart ({@link RemnantWriter}).
 */
public final class FreeMemory {

    private static final int PAGE = 4096;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private static final String[] DIRECTORIES = {"C:\\Windows\\System32\\", "C:\\Windows\\SysWOW64\\",
        "C:\\Program Files\\Common Files\\", "C:\\Users\\alice\\AppData\\Local\\Temp\\",
        "C:\\ProgramData\\Microsoft\\Windows Defender\\", "\\Device\\HarddiskVolume3\\Windows\\",
        "C:\\Users\\alice\\Documents\\", "C:\\Windows\\WinSxS\\amd64_microsoft-windows-"};
    private static final String[] FILES = {"kernelbase.dll", "ntdll.dll", "user32.dll", "combase.dll",
        "setup.log", "report-2025.docx", "budget.xlsx", "update.msi", "cache.db", "index.dat", "config.json",
        "msedge.exe", "svchost.exe", "taskhostw.exe", "RuntimeBroker.exe", "mpengine.dll"};
    private static final String[] KEYS = {"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
        "HKCU\\Software\\Microsoft\\Office\\16.0\\Common", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip",
        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender", "HKCU\\Software\\Classes\\CLSID"};
    private static final String[] HOSTS = {"login.microsoftonline.com", "update.example.org", "cdn.example.net",
        "fileshare.corp.example", "telemetry.example.com", "www.example.com"};
    private static final String[] WORDS = {"the", "service", "started", "stopped", "error", "warning", "user",
        "connection", "request", "completed", "failed", "access", "denied", "session", "update", "download",
        "policy", "applied", "token", "refresh", "timeout", "retry", "cache", "hit", "miss", "value", "key"};
    private static final String[] LEVELS = {"INFO", "WARN", "ERROR"};
    /** Tags of common kernel pool allocations that no Vestige scan looks for (after the WDK's pooltag.txt). */
    private static final String[] POOL_TAGS = {"MmSt", "Ntfx", "IoNm", "ObNm", "CcSc", "FMfc", "NtFs", "Irp ",
        "SeTl", "AlIn", "MmCa", "FSfm", "Ntf0", "Wmit", "Vi54", "KSfd"};

    private FreeMemory() {
    }

    /** The kinds of free frame, in the order of their shares. */
    enum Kind {
        ZEROED, TEXT, UTF16, NOISE, COMPRESSED, FREED_POOL
    }

    /** @return which kind frame {@code frame} of an image with seed {@code seed} holds */
    static Kind kind(long seed, long frame) {
        int roll = (int) Long.remainderUnsigned(mix(seed, frame) >>> 7, 100);
        return roll < 20 ? Kind.ZEROED : roll < 40 ? Kind.TEXT : roll < 50 ? Kind.UTF16 : roll < 70 ? Kind.NOISE
                : roll < 80 ? Kind.COMPRESSED : Kind.FREED_POOL;
    }

    /**
     * Fills {@code out} (4096 bytes) with the content of free frame {@code frame}.
     *
     * @return whether the frame holds anything (false for a zeroed frame, which the image may leave a hole)
     */
    public static boolean frame(long seed, long frame, byte[] out) {
        SplittableRandom r = new SplittableRandom(mix(seed, frame));
        Kind kind = kind(seed, frame);
        switch (kind) {
            case ZEROED -> {
                java.util.Arrays.fill(out, 0, PAGE, (byte) 0);
                return false;
            }
            case TEXT -> text(r, out, 0, PAGE);
            case UTF16 -> utf16(r, out);
            case NOISE -> noise(r, out, 0, PAGE);
            case COMPRESSED -> compressed(r, out);
            case FREED_POOL -> pool(r, out);
            default -> throw new IllegalStateException(kind.name());
        }
        return true;
    }

    private static long mix(long seed, long frame) {
        long z = seed * MIX + frame * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void noise(SplittableRandom r, byte[] out, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            Le.put(out, i, r.nextLong(), 8);
        }
        for (; i < to; i++) {
            out[i] = (byte) r.nextInt();
        }
    }

    /** Lines of text until {@code [from, to)} is full; the rest of a cut line is dropped. */
    private static void text(SplittableRandom r, byte[] out, int from, int to) {
        int at = from;
        while (at < to) {
            byte[] line = line(r).getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(line.length, to - at);
            System.arraycopy(line, 0, out, at, n);
            at += n;
        }
    }

    private static void utf16(SplittableRandom r, byte[] out) {
        int at = 0;
        while (at < PAGE) {
            String s = r.nextInt(3) == 0 ? line(r) : pick(r, DIRECTORIES) + pick(r, FILES);
            for (int i = 0; i < s.length() && at + 1 < PAGE; i++, at += 2) {
                out[at] = (byte) s.charAt(i);
                out[at + 1] = 0;
            }
            // strings end with a NUL character, and a few bytes of whatever the heap had between them
            for (int pad = 2 + 2 * r.nextInt(4); pad > 0 && at < PAGE; pad--) {
                out[at++] = 0;
            }
        }
    }

    /** One raw-deflate compressor per thread, reset for each stream (creating one costs more than a page). */
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(
            Deflater.BEST_SPEED, true));

    /**
     * A raw-deflate stream of a page of text with stretches of binary data (as in compressed documents and
     * executables), as much of it as fits, then the high-entropy bytes of whatever followed it. One stream per
     * frame: deflating costs about 90 us a page here, the most of any kind.
     */
    private static void compressed(SplittableRandom r, byte[] out) {
        Deflater deflater = DEFLATERS.get();
        byte[] plain = new byte[PAGE];
        text(r, plain, 0, PAGE);
        for (int i = 0; i < PAGE; i += 512) {
            noise(r, plain, i, i + 256);
        }
        deflater.reset();
        deflater.setInput(plain);
        deflater.finish();
        int at = 0;
        while (!deflater.finished() && at < PAGE) {
            at += deflater.deflate(out, at, PAGE - at);
        }
        noise(r, out, at, PAGE);
    }

    /** A page of pool blocks: header (PreviousSize, PoolIndex, BlockSize, PoolType, tag), then the body. */
    private static void pool(SplittableRandom r, byte[] out) {
        int at = 0;
        int previous = 0;
        while (at < PAGE) {
            int units = Math.min(1 + r.nextInt(32), (PAGE - at) / 16); // BlockSize counts 16-byte units
            boolean free = r.nextInt(4) != 0;
            out[at] = (byte) previous;
            out[at + 1] = 0;
            out[at + 2] = (byte) units;
            out[at + 3] = (byte) (free ? 0 : 1 + r.nextInt(2)); // free, or NonPaged / Paged
            byte[] tag = pick(r, POOL_TAGS).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(tag, 0, out, at + 4, 4);
            Le.put(out, at + 8, free ? 0 : 0xffff800000000000L | r.nextLong() & 0x7fffffff0L, 8);
            int body = at + 16;
            int end = at + units * 16;
            if (r.nextBoolean()) {
                text(r, out, body, end);
            } else {
                noise(r, out, body, end);
            }
            previous = units;
            at = end;
        }
    }

    private static String line(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> pick(r, DIRECTORIES) + pick(r, FILES) + "\r\n";
            case 1 -> pick(r, KEYS) + "\0";
            case 2 -> "https://" + pick(r, HOSTS) + "/" + pick(r, WORDS) + "/" + Integer.toHexString(r.nextInt())
                    + "?id=" + r.nextInt(100000) + "\0";
            case 3 -> "2024-" + two(1 + r.nextInt(12)) + "-" + two(1 + r.nextInt(28)) + " " + two(r.nextInt(24)) + ":"
                    + two(r.nextInt(60)) + ":" + two(r.nextInt(60)) + " [" + pick(r, LEVELS) + "] " + pick(r, WORDS)
                    + " " + pick(r, WORDS) + " " + pick(r, WORDS) + "\n";
            default -> pick(r, WORDS) + " " + pick(r, WORDS) + " " + pick(r, WORDS) + ". ";
        };
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
