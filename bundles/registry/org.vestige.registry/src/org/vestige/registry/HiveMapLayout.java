package org.vestige.registry;

import org.vestige.core.types.Profile;

/**
 * Where the kernel keeps a loaded hive's cell map, as offsets taken from the kernel's profile, for
 * {@link CellMapHiveSource}. A cell index splits into storage (bit 31), directory (bits 21-30, 1024
 * slots), table (bits 12-20, 512 slots) and offset in the 4 KiB block (bits 0-11):
 * {@code _HHIVE.Storage[storage].Map -> Directory[directory] -> Table[table]} is the block's
 * {@code _HMAP_ENTRY}.
 *
 * @param pointerSize          8 on x64, 4 on x86
 * @param baseBlockOffset      offset of {@code _HHIVE.BaseBlock} (pointer to the base block)
 * @param storageOffset        offset of {@code _HHIVE.Storage} (array of two {@code _DUAL})
 * @param dualSize             size of {@code _DUAL}
 * @param dualLengthOffset     offset of {@code _DUAL.Length} (ULONG, bytes of that storage)
 * @param dualMapOffset        offset of {@code _DUAL.Map} (pointer to {@code _HMAP_DIRECTORY})
 * @param entrySize            size of {@code _HMAP_ENTRY}
 * @param blockAddressOffset   offset of {@code _HMAP_ENTRY.PermanentBinAddress} (Windows 8.1+) or
 *                             {@code BlockAddress} (earlier)
 * @param blockOffsetOffset    offset of {@code _HMAP_ENTRY.BlockOffset}, or -1 where the entry has none
 *                             (then the block address is the block's own address)
 * @param blockAddressFlagMask low bits of the block address that hold flags and are cleared before use
 *                             (0xF for PermanentBinAddress, 0 for BlockAddress)
 * @since 0.1
 */
public record HiveMapLayout(int pointerSize, long baseBlockOffset, long storageOffset, long dualSize,
        long dualLengthOffset, long dualMapOffset, long entrySize, long blockAddressOffset, long blockOffsetOffset,
        long blockAddressFlagMask) {

    /** Slots of a map directory. */
    public static final int DIRECTORY_SLOTS = 1024;
    /** Slots of a map table. */
    public static final int TABLE_SLOTS = 512;

    public HiveMapLayout {
        if (pointerSize != 4 && pointerSize != 8) {
            throw new IllegalArgumentException("pointer size must be 4 or 8: " + pointerSize);
        }
        if (entrySize <= 0 || dualSize <= 0) {
            throw new IllegalArgumentException("structure sizes must be positive");
        }
    }

    /**
     * Takes the cell map's layout from a kernel profile. Windows 8.1 and later keep the bin's address
     * in {@code _HMAP_ENTRY.PermanentBinAddress} (flags in its low four bits) and the block's offset in
     * the bin in {@code BlockOffset}; earlier kernels keep the block's own address in
     * {@code BlockAddress}. The profile's fields decide which, not the build number.
     *
     * @throws java.util.NoSuchElementException naming the structure or field the profile lacks
     */
    public static HiveMapLayout from(Profile profile) {
        boolean permanent = profile.has("_HMAP_ENTRY", "PermanentBinAddress");
        return new HiveMapLayout(profile.pointerSize(), profile.offset("_HHIVE", "BaseBlock"),
                profile.offset("_HHIVE", "Storage"), profile.requireStruct("_DUAL").size(),
                profile.offset("_DUAL", "Length"), profile.offset("_DUAL", "Map"),
                profile.requireStruct("_HMAP_ENTRY").size(),
                profile.offset("_HMAP_ENTRY", permanent ? "PermanentBinAddress" : "BlockAddress"),
                permanent ? profile.offset("_HMAP_ENTRY", "BlockOffset") : -1, permanent ? 0xF : 0);
    }
}
