package org.vestige.registry;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicLongArray;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;

/**
 * A hive loaded in memory, read through its cell map: each 4 KiB block of cells is found through
 * {@code _HHIVE.Storage[].Map} and read from a virtual address space (the kernel's, or the Registry
 * process's on Windows 10 1803 and later). Blocks whose pages are not available — paged out with no
 * paging file, not captured — make reads fail with a {@link HiveDataMissingException} naming the hive
 * offset, the virtual address and the layer's reason, so a walk reports exactly which cells are
 * unreadable and why. Volatile storage (cell indexes with bit 31 set) is read too.
 *
 * @since 0.1
 */
public final class CellMapHiveSource implements HiveSource {


    private final Layer layer;
    private final long hive;
    private final HiveMapLayout layout;
    private final String name;
    private final ConcurrentHashMap<Long, Long> blocks = new ConcurrentHashMap<>();
    /** Storage lengths read once; -2 until read, -1 when unreadable. */
    private final AtomicLongArray lengths = new AtomicLongArray(new long[] {-2, -2});

    /**
     * @param layer  the virtual address space the hive's structures and bins are mapped in
     * @param hive   virtual address of the {@code _HHIVE} (the start of the {@code _CMHIVE})
     * @param layout where the cell map fields are, from the profile
     * @param name   name for messages (e.g. the hive's path from {@code _CMHIVE.FileFullPath})
     */
    public CellMapHiveSource(Layer layer, long hive, HiveMapLayout layout, String name) {
        this.layer = Objects.requireNonNull(layer);
        this.hive = hive;
        this.layout = Objects.requireNonNull(layout);
        this.name = Objects.requireNonNull(name);
    }

    @Override
    public String name() {
        return name + " @ 0x" + Long.toHexString(hive);
    }

    @Override
    public void readBaseBlock(byte[] buffer) {
        long pointerAt = hive + layout.baseBlockOffset();
        long address;
        try {
            address = pointer(pointerAt);
        } catch (Unavailable u) {
            throw new HiveDataMissingException(HiveException.NO_CELL, 0, "pointer to the base block at 0x"
                    + Long.toHexString(pointerAt) + " is unreadable: " + u.reason);
        }
        if (address == 0) {
            throw new HiveDataMissingException(HiveException.NO_CELL, 0, "the hive has no base block (null pointer)");
        }
        String missing = readFully(address, buffer, 0, BLOCK_SIZE);
        if (missing != null) {
            throw new HiveDataMissingException(HiveException.NO_CELL, 0, "base block at 0x" + Long.toHexString(address)
                    + " is unreadable: " + missing);
        }
    }

    @Override
    public long stableLength() {
        return length(0);
    }

    @Override
    public boolean hasVolatileStorage() {
        return true;
    }

    @Override
    public long volatileLength() {
        return Math.max(0, length(1));
    }

    private long length(int storage) {
        long known = lengths.get(storage);
        if (known != -2) {
            return known;
        }
        long at = hive + layout.storageOffset() + storage * layout.dualSize() + layout.dualLengthOffset();
        byte[] b = new byte[4];
        long value = readFully(at, b, 0, 4) == null ? org.vestige.registry.internal.LittleEndian.u32(b, 0) : -1;
        lengths.set(storage, value);
        return value;
    }

    @Override
    public void read(long hiveOffset, byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        long at = hiveOffset;
        int done = 0;
        while (done < length) {
            int inBlock = (int) (at & 0xFFF);
            int chunk = Math.min(length - done, BLOCK_SIZE - inBlock);
            long block;
            try {
                block = blockAddress(at & ~0xFFFL);
            } catch (Unavailable u) {
                throw new HiveDataMissingException(HiveException.NO_CELL, at, u.reason);
            }
            String missing = readFully(block + inBlock, buffer, offset + done, chunk);
            if (missing != null) {
                throw new HiveDataMissingException(HiveException.NO_CELL, at, missing);
            }
            at += chunk;
            done += chunk;
        }
    }

    /** @return the virtual address of the block holding cell index {@code block} (4 KiB aligned) */
    private long blockAddress(long block) throws Unavailable {
        Long cached = blocks.get(block);
        if (cached != null) {
            return cached;
        }
        int storage = (int) (block >>> 31) & 1;
        int directory = (int) (block >>> 21) & 0x3FF;
        int table = (int) (block >>> 12) & 0x1FF;
        long storageLength = length(storage);
        if (storageLength >= 0 && (block & 0x7FFF_FFFFL) >= storageLength) {
            throw new Unavailable("beyond the " + (storage == 0 ? "stable" : "volatile") + " storage length 0x"
                    + Long.toHexString(storageLength));
        }
        long map = pointer(hive + layout.storageOffset() + storage * layout.dualSize() + layout.dualMapOffset());
        if (map == 0) {
            throw new Unavailable("the hive has no " + (storage == 0 ? "stable" : "volatile") + " cell map");
        }
        long tableAddress = pointer(map + (long) directory * layout.pointerSize());
        if (tableAddress == 0) {
            throw new Unavailable("cell map directory slot " + directory + " is empty");
        }
        long entry = tableAddress + table * layout.entrySize();
        long address = pointer(entry + layout.blockAddressOffset()) & ~layout.blockAddressFlagMask();
        if (address == 0) {
            throw new Unavailable("cell map entry " + directory + "/" + table + " maps no block");
        }
        if (layout.blockOffsetOffset() >= 0) {
            address += pointer(entry + layout.blockOffsetOffset());
        }
        blocks.put(block, address);
        return address;
    }

    private long pointer(long address) throws Unavailable {
        byte[] b = new byte[layout.pointerSize()];
        String missing = readFully(address, b, 0, b.length);
        if (missing != null) {
            throw new Unavailable("cell map structure at 0x" + Long.toHexString(address) + " is unreadable: " + missing);
        }
        return layout.pointerSize() == 8 ? org.vestige.registry.internal.LittleEndian.i64(b, 0)
                : org.vestige.registry.internal.LittleEndian.u32(b, 0);
    }

    /** @return null when every byte was available, else the first missing address and its reason */
    private String readFully(long address, byte[] buffer, int offset, int length) {
        String[] first = new String[1];
        layer.read(address, buffer, offset, length, (a, l, p) -> {
            if (first[0] == null && p instanceof PageProvenance.Missing m) {
                first[0] = "virtual 0x" + Long.toHexString(a) + ": " + m.reason();
            }
        });
        return first[0];
    }

    /** A map lookup that could not be completed, with the reason. */
    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Unavailable(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    /** @return the virtual address space the hive is read from */
    public Layer layer() {
        return layer;
    }

    /** @return the virtual address of the hive's {@code _HHIVE} */
    public long hiveAddress() {
        return hive;
    }

    /**
     * Visits every 4 KiB block of the hive's storage, stable then volatile, in hive-offset order, with
     * the virtual address its cell map gives it or the reason it gives none (an unreadable or empty map
     * slot). Storage lengths come from {@code _DUAL.Length}; an unreadable length counts as empty.
     *
     * @param visitor receives each block; returns false to stop
     * @return false when the visitor stopped the enumeration
     */
    public boolean forEachBlock(Predicate<HiveBlock> visitor) {
        for (int storage = 0; storage < 2; storage++) {
            long length = length(storage);
            long base = storage == 0 ? 0 : VOLATILE_BIT;
            for (long at = 0; at + BLOCK_SIZE <= Math.max(0, length) && at < VOLATILE_BIT; at += BLOCK_SIZE) {
                HiveBlock block;
                try {
                    block = new HiveBlock(base | at, blockAddress(base | at), null);
                } catch (Unavailable u) {
                    block = new HiveBlock(base | at, 0, u.reason);
                }
                if (!visitor.test(block)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return the cell index translated to its virtual address, for display (e.g. a hex view of a cell) */
    public long virtualAddress(long hiveOffset) {
        try {
            return blockAddress(hiveOffset & ~0xFFFL) + (hiveOffset & 0xFFF);
        } catch (Unavailable u) {
            throw new HiveDataMissingException(HiveException.NO_CELL, hiveOffset, u.reason);
        }
    }

    @Override
    public String toString() {
        return name();
    }

}
