package org.vestige.windows;

import org.vestige.windows.internal.Bytes;

/**
 * Recovers the virtual address of an object found in physical memory from a {@code LIST_ENTRY} in it that
 * is empty: an empty list head's Flink and Blink both point at the head itself, so they give the head's
 * virtual address, and the object's is that minus the head's offset. Each guess is kept only when it
 * translates back to the physical address the object was found at.
 */
final class EmptyListHeads {

    private EmptyListHeads() {
    }

    /**
     * @param kernel   the kernel address space
     * @param body     the object's physical address
     * @param b        the object's bytes
     * @param readable how many of {@code b} were read
     * @param offsets  the offsets of list heads in the object that are usually empty
     * @return the object's virtual address, or 0 when no empty head gives one that translates back
     */
    static long virtualAddress(X64Layer kernel, long body, byte[] b, int readable, int[] offsets) {
        for (int off : offsets) {
            if (off >= 0 && off + 16 <= readable) {
                long flink = Bytes.u64(b, off);
                if (flink == Bytes.u64(b, off + 8) && ((flink ^ (body + off)) & 0xfff) == 0) {
                    long guess = confirm(kernel, flink - off, body);
                    if (guess != 0) {
                        return guess;
                    }
                }
            }
        }
        return 0;
    }

    /** @return {@code va} when it is a kernel address that translates to {@code body}, else 0 */
    static long confirm(X64Layer kernel, long va, long body) {
        return va < 0 && X64Translator.canonical(va) && kernel.translate(va) == body ? va : 0;
    }
}
