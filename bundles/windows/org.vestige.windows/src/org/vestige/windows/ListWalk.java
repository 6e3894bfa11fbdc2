package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.vestige.windows.internal.Bytes;

/**
 * Walks a circular doubly linked list of x64 {@code LIST_ENTRY}s, bounded, with cycle detection and a
 * Blink check on every step. When the forward chain breaks (an unreadable or foreign Flink, or one
 * that points back into the list), the rest is recovered by walking the Blink chain from the head.
 * The kernel's process, module and hive lists are all walked by it.
 *
 * @since 0.1
 */
public final class ListWalk {

    /**
     * @param entries  addresses of the LIST_ENTRYs, in list order (the head excluded)
     * @param warnings each inconsistency met, naming the entry concerned
     * @param complete whether the forward walk came back to the head
     * @since 0.1
     */
    public record Result(List<Long> entries, List<String> warnings, boolean complete) {
    }

    private final MemoryReader reader;
    private final boolean kernel;
    private final int max;

    /**
     * @param kernel true when the list lives in kernel space (every link must then be a kernel
     *               address), false for a user-space list
     * @param max    the most entries a real list of this kind can have
     */
    ListWalk(MemoryReader reader, boolean kernel, int max) {
        this.reader = reader;
        this.kernel = kernel;
        this.max = max;
    }

    /**
     * @param layer  the address space the list lives in
     * @param kernel true when the list lives in kernel space (every link must then be a kernel
     *               address), false for a user-space list
     * @param max    the most entries a real list of this kind can have
     */
    public ListWalk(org.vestige.core.layer.Layer layer, boolean kernel, int max) {
        this(new MemoryReader(layer), kernel, max);
    }

    private boolean plausible(long link) {
        return X64Translator.canonical(link) && (kernel ? link < 0 : link > 0) && (link & 7) == 0;
    }

    /** @return {flink, blink}, or null with the reason in {@code why[0]} */
    private long[] links(long va, String[] why) {
        if (!plausible(va)) {
            why[0] = "is not a " + (kernel ? "kernel" : "user") + " address";
            return null;
        }
        Readout<byte[]> r = reader.bytes(va, 16, "LIST_ENTRY");
        if (!r.isPresent()) {
            why[0] = "is not readable (" + r.reason() + ")";
            return null;
        }
        byte[] b = r.get();
        return new long[] {Bytes.u64(b, 0), Bytes.u64(b, 8)};
    }

    /**
     * @param name     what the list is, for messages (e.g. "PsLoadedModuleList")
     * @param describe names an entry by the address of its LIST_ENTRY, for messages
     */
    public Result walk(long head, String name, java.util.function.LongFunction<String> describe) {
        List<String> warnings = new ArrayList<>();
        String[] why = new String[1];
        long[] headLinks = links(head, why);
        if (headLinks == null) {
            warnings.add(name + " head " + hex(head) + " " + why[0]);
            return new Result(List.of(), warnings, false);
        }
        Set<Long> visited = new HashSet<>();
        visited.add(head);
        List<Long> forward = new ArrayList<>();
        boolean complete = false;
        long prev = head;
        String prevName = name + " head " + hex(head);
        long cur = headLinks[0];
        while (true) {
            if (cur == head) {
                complete = true;
                break;
            }
            if (forward.size() >= max) {
                warnings.add(name + ": more than " + max + " entries; stopped");
                break;
            }
            if (visited.contains(cur)) {
                warnings.add(prevName + ": Flink " + hex(cur) + " points back into the list (cycle at "
                        + describe.apply(cur) + "); recovering the rest from the head's Blink chain");
                break;
            }
            long[] l = links(cur, why);
            if (l == null) {
                warnings.add(prevName + ": Flink " + hex(cur) + " " + why[0]
                        + "; recovering the rest from the head's Blink chain");
                break;
            }
            if (l[1] != prev) {
                warnings.add(prevName + ": Flink " + hex(cur) + " leads to an entry whose Blink is " + hex(l[1])
                        + ", not " + hex(prev) + " (list changed while it was acquired)");
            }
            visited.add(cur);
            forward.add(cur);
            prevName = describe.apply(cur);
            prev = cur;
            cur = l[0];
        }
        List<Long> backward = new ArrayList<>();
        if (!complete) {
            long next = head;
            long b = headLinks[1];
            while (b != head && !visited.contains(b) && forward.size() + backward.size() < max) {
                long[] l = links(b, why);
                if (l == null) {
                    warnings.add(name + ": Blink " + hex(b) + " " + why[0] + "; backward walk stopped");
                    break;
                }
                if (l[0] != next) {
                    warnings.add(describe.apply(b) + ": Flink is " + hex(l[0]) + ", not " + hex(next)
                            + " (backward walk)");
                }
                visited.add(b);
                backward.add(b);
                next = b;
                b = l[1];
            }
        }
        List<Long> all = new ArrayList<>(forward);
        for (int i = backward.size() - 1; i >= 0; i--) {
            all.add(backward.get(i));
        }
        return new Result(List.copyOf(all), List.copyOf(warnings), complete);
    }
}
