package org.vestige.synth;

import org.vestige.synth.internal.Le;

/**
 * Builds one x64 address space's four-level page tables in a {@link PhysicalImageWriter}: 4 KiB,
 * 2 MiB and 1 GiB mappings, the self-referencing top-level entry, raw (invalid) PTEs, and the kernel
 * half shared with the System address space as Windows does for every process.
 *
 * @since 0.1
 */
public final class PageTableBuilder {

    /** present, writable, accessed, dirty */
    private static final long DATA = 0x63;
    private static final long USER = 0x4;
    private static final long LARGE = 0x80;
    private static final long NX = 1L << 63;
    private static final long FRAME = 0x000ffffffffff000L;
    private static final int[] SHIFTS = {39, 30, 21, 12};

    private final PhysicalImageWriter memory;
    private final long pml4;
    private int selfMapIndex = -1;
    /** user-half leaf entries as written: virtual page to raw entry (page size in the low bits' place is implied) */
    private final java.util.TreeMap<Long, Long> userLeaves = new java.util.TreeMap<>();

    /** @param pml4 physical address of the (zeroed) top-level table */
    public PageTableBuilder(PhysicalImageWriter memory, long pml4) {
        this.memory = memory;
        this.pml4 = pml4;
        memory.claim(pml4);
    }

    /** @return the directory table base (CR3) */
    public long dtb() {
        return pml4;
    }

    public int selfMapIndex() {
        return selfMapIndex;
    }

    /** Points top-level entry {@code index} at the top-level table itself. */
    public void setSelfMap(int index) {
        selfMapIndex = index;
        memory.writeLong(pml4 + index * 8L, pml4 | DATA | NX);
    }

    /** Copies the kernel half (entries 256–511, except the self-map) of the System tables. */
    public void shareKernelHalf(PageTableBuilder kernel) {
        for (int i = 256; i < 512; i++) {
            if (i == kernel.selfMapIndex || i == selfMapIndex) {
                continue;
            }
            long e = memory.readLong(kernel.pml4 + i * 8L);
            if (e != 0) {
                memory.writeLong(pml4 + i * 8L, e);
            }
        }
    }

    /** Maps one page of {@code pageSize} (4 KiB, 2 MiB or 1 GiB) at {@code va} to {@code pa}. */
    public void map(long va, long pa, long pageSize) {
        int leafLevel = switch (Long.numberOfTrailingZeros(pageSize)) {
            case 12 -> 3;
            case 21 -> 2;
            case 30 -> 1;
            default -> throw new IllegalArgumentException("page size 0x" + Long.toHexString(pageSize));
        };
        if ((va & (pageSize - 1)) != 0 || (pa & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException("unaligned mapping 0x" + Long.toHexString(va) + " -> 0x"
                    + Long.toHexString(pa));
        }
        long entry = entryAddress(va, leafLevel, true);
        long flags = DATA | (va >= 0 ? USER : 0) | (leafLevel < 3 ? LARGE : 0);
        memory.writeLong(entry, pa | flags);
        if (va >= 0) {
            userLeaves.put(va, pa | flags);
        }
    }

    /** Sets the 4 KiB PTE of {@code va} to a raw value (an invalid, software-defined entry). */
    public void setPte(long va, long raw) {
        memory.writeLong(entryAddress(va, 3, true), raw);
        if (va >= 0) {
            userLeaves.put(va & ~0xfffL, raw);
        }
    }

    /** @return every user-half leaf entry written (4 KiB PTEs and large pages): virtual address to raw entry */
    public java.util.SortedMap<Long, Long> userLeaves() {
        return java.util.Collections.unmodifiableSortedMap(userLeaves);
    }

    /** @return the physical address of the level's entry for {@code va}, creating tables on the way */
    private long entryAddress(long va, int leafLevel, boolean create) {
        long table = pml4;
        for (int level = 0; level < leafLevel; level++) {
            long e = table + (((va >>> SHIFTS[level]) & 0x1ff) << 3);
            long v = memory.readLong(e);
            if ((v & 1) == 0) {
                if (!create) {
                    return -1;
                }
                long t = memory.allocateFrame();
                memory.write(t, new byte[4096]);
                v = t | 0x23 | (va >= 0 ? USER : 0);
                memory.writeLong(e, v);
            } else if ((v & LARGE) != 0 && level > 0) {
                throw new IllegalStateException("0x" + Long.toHexString(va) + " lies in a large page");
            }
            table = v & FRAME;
        }
        return table + (((va >>> SHIFTS[leafLevel]) & 0x1ff) << 3);
    }

    /** @return the physical address {@code va} maps to, or -1 */
    public long translate(long va) {
        long table = pml4;
        for (int level = 0; level < 4; level++) {
            long v = memory.readLong(table + (((va >>> SHIFTS[level]) & 0x1ff) << 3));
            if ((v & 1) == 0) {
                return -1;
            }
            if (level == 3 || (level > 0 && (v & LARGE) != 0)) {
                long size = 1L << SHIFTS[level];
                return (v & FRAME & ~(size - 1)) | (va & (size - 1));
            }
            table = v & FRAME;
        }
        return -1;
    }

    /** Writes bytes at a virtual address, mapping fresh 4 KiB frames where nothing is mapped yet. */
    public void write(long va, byte[] data) {
        int offset = 0;
        while (offset < data.length) {
            int within = (int) (va & 0xfff);
            int n = Math.min(data.length - offset, 4096 - within);
            long pa = translate(va);
            if (pa < 0) {
                long frame = memory.allocateFrame();
                memory.write(frame, new byte[4096]);
                map(va & ~0xfffL, frame, 4096);
                pa = frame | within;
            }
            memory.write(pa, data, offset, n);
            va += n;
            offset += n;
        }
    }

    public void writeLong(long va, long value) {
        write(va, Le.bytes(value, 8));
    }

    public long readLong(long va) {
        long pa = translate(va);
        if (pa < 0) {
            throw new IllegalStateException("0x" + Long.toHexString(va) + " is not mapped");
        }
        return memory.readLong(pa);
    }
}
