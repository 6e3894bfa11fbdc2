package org.vestige.registry;

import java.util.List;
import java.util.Locale;

import org.vestige.core.layer.Layer;

/**
 * One hive the configuration manager has loaded, as its {@code _CMHIVE} says: the names it was loaded
 * under, where its base block is and how long its storage is. {@link #source(Layer)} reads its cells
 * through its cell map.
 *
 * @param address        virtual address of the {@code _CMHIVE}
 * @param hive           virtual address of its {@code _HHIVE} ({@code _CMHIVE.Hive}, at offset 0 on every build)
 * @param signature      {@code _HHIVE.Signature}, {@link HiveListWalker#SIGNATURE} for a real hive; -1 when unreadable
 * @param baseBlock      {@code _HHIVE.BaseBlock}, the base block's virtual address (0 when none or unreadable)
 * @param fileFullPath   {@code _CMHIVE.FileFullPath} ("" when empty or unreadable; see {@code notes})
 * @param fileUserName   {@code _CMHIVE.FileUserName} ("" when empty or unreadable)
 * @param hiveRootPath   {@code _CMHIVE.HiveRootPath}, e.g. {@code \REGISTRY\MACHINE\SAM} ("" when empty,
 *                       unreadable or not in the profile, as before Vista)
 * @param stableLength   {@code _HHIVE.Storage[Stable].Length} in bytes, -1 when unreadable
 * @param volatileLength {@code _HHIVE.Storage[Volatile].Length} in bytes, -1 when unreadable
 * @param hiveFlags      {@code _HHIVE.HiveFlags}, -1 when unreadable or not in the profile
 * @param layout         the cell map's layout for this kernel
 * @param notes          fields that could not be read, and why
 * @since 0.1
 */
public record LoadedHive(long address, long hive, long signature, long baseBlock, String fileFullPath,
        String fileUserName, String hiveRootPath, long stableLength, long volatileLength, long hiveFlags,
        HiveMapLayout layout, List<String> notes) {

    /** {@code HIVE_VOLATILE}: the hive has no file (HARDWARE, the master hive). */
    public static final long HIVE_VOLATILE = 0x1;

    public LoadedHive {
        notes = List.copyOf(notes);
    }

    /** @return true when {@code _HHIVE.Signature} is {@link HiveListWalker#SIGNATURE} */
    public boolean signatureValid() {
        return signature == HiveListWalker.SIGNATURE;
    }

    /**
     * @return the name an analyst knows the hive by: its root path when the kernel keeps one, else its
     *         file path, else the name it was opened under, else "[no name]" (the master hive)
     */
    public String name() {
        if (!hiveRootPath.isEmpty()) {
            return hiveRootPath;
        }
        if (!fileFullPath.isEmpty()) {
            return fileFullPath;
        }
        return fileUserName.isEmpty() ? "[no name]" : fileUserName;
    }

    /**
     * Whether this is the machine hive {@code name} (SYSTEM, SAM, SECURITY, SOFTWARE, …): its root path is
     * {@code \REGISTRY\MACHINE\<name>}, or the last component of its file path or user name is
     * {@code name}. Case-insensitive.
     */
    public boolean isMachineHive(String name) {
        String wanted = name.toUpperCase(Locale.ROOT);
        if (hiveRootPath.toUpperCase(Locale.ROOT).equals("\\REGISTRY\\MACHINE\\" + wanted)) {
            return true;
        }
        return lastComponent(fileFullPath).equals(wanted) || lastComponent(fileUserName).equals(wanted);
    }

    private static String lastComponent(String path) {
        return path.substring(path.lastIndexOf('\\') + 1).toUpperCase(Locale.ROOT);
    }

    /**
     * @param layer the address space the hive's cell map and bins are read in: the kernel's, or on
     *              Windows 10 1803 and later the Registry process's (its bins are mapped in that
     *              process's user space; the kernel half is shared)
     * @return the hive's cells, read through its cell map
     */
    public CellMapHiveSource source(Layer layer) {
        return new CellMapHiveSource(layer, hive, layout, name());
    }
}
