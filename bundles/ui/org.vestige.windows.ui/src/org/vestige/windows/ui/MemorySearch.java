package org.vestige.windows.ui;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.layer.PageProvenance;
import org.vestige.windows.WinVad;
import org.vestige.windows.X64Layer;

/**
 * Finds bytes in a process's memory: a pattern typed as hex, ASCII or UTF-16LE text, looked for in the
 * process's mapped regions from an address on, through its address space (so paged-out and compressed
 * pages count); pages that cannot be read are skipped, and a match never spans one.
 *
 * @since 0.1
 */
public final class MemorySearch {

    /** How a pattern is typed. */
    public enum Encoding {
        HEX, ASCII, UTF16
    }

    /** Bytes read at once. */
    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;

    private MemorySearch() {
    }

    /**
     * @return the bytes a typed pattern stands for
     * @throws IllegalArgumentException when hex text is not whole bytes, or the pattern is empty
     */
    public static byte[] pattern(String typed, Encoding encoding) {
        byte[] b = switch (encoding) {
            case HEX -> HexFormat.of().parseHex(typed.replaceAll("[\\s:]", "").replaceFirst("^0[xX]", ""));
            case ASCII -> typed.getBytes(StandardCharsets.ISO_8859_1);
            case UTF16 -> typed.getBytes(StandardCharsets.UTF_16LE);
        };
        if (b.length == 0) {
            throw new IllegalArgumentException("nothing to find");
        }
        return b;
    }

    /**
     * Finds the first match at or after an address.
     *
     * @param regions the process's mapped regions (its VADs), in address order
     * @return the address of the match, or empty when there is none (or the search was cancelled)
     */
    public static OptionalLong find(X64Layer layer, List<WinVad> regions, long from, byte[] pattern,
            IProgressMonitor monitor) {
        byte[] buf = new byte[CHUNK + pattern.length];
        for (WinVad v : regions) {
            long end = v.end() + 1;
            if (Long.compareUnsigned(end, from) <= 0) {
                continue;
            }
            long at = Long.compareUnsigned(v.start(), from) >= 0 ? v.start() : from;
            while (Long.compareUnsigned(at, end) < 0) {
                if (monitor.isCanceled()) {
                    return OptionalLong.empty();
                }
                int n = (int) Math.min(buf.length, end - at);
                boolean[] readable = new boolean[(n + PAGE - 1) / PAGE + 1];
                long base = at & ~(PAGE - 1L);
                layer.read(at, buf, 0, n, (a, l, prov) -> {
                    for (long x = a; x < a + l; x += PAGE) {
                        int page = (int) (((x & ~(PAGE - 1L)) - base) / PAGE);
                        if (page >= 0 && page < readable.length) {
                            readable[page] = prov.isAvailable() && !(prov instanceof PageProvenance.Missing);
                        }
                    }
                });
                int hit = indexOf(buf, n, pattern, at, base, readable);
                if (hit >= 0) {
                    return OptionalLong.of(at + hit);
                }
                if (n < buf.length) {
                    break;
                }
                at += CHUNK; // the next chunk starts where a match could still begin
            }
        }
        return OptionalLong.empty();
    }

    private static int indexOf(byte[] buf, int n, byte[] pattern, long at, long base, boolean[] readable) {
        outer:
        for (int i = 0; i + pattern.length <= n; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            int first = (int) ((at + i - base) / PAGE);
            int last = (int) ((at + i + pattern.length - 1 - base) / PAGE);
            boolean all = true;
            for (int p = first; p <= last && all; p++) {
                all = readable[p];
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }
}
