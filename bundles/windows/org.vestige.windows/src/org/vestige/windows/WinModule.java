package org.vestige.windows;

/**
 * A loaded image on a loader list: a kernel driver on {@code PsLoadedModuleList} or a DLL/EXE on a
 * process's {@code PEB.Ldr} lists.
 *
 * @param entry      virtual address of its {@code _KLDR_DATA_TABLE_ENTRY} / {@code _LDR_DATA_TABLE_ENTRY}
 * @param base       DllBase
 * @param size       SizeOfImage
 * @param entryPoint EntryPoint, or 0 when the profile has no such field
 * @param fullName   FullDllName, or why it could not be read
 * @param baseName   BaseDllName, or why it could not be read
 * @param flags      Flags, or -1 when the profile has no such field
 * @param loadCount  LoadCount / ObsoleteLoadCount, or -1 when the profile has neither
 * @since 0.1
 */
public record WinModule(long entry, long base, long size, long entryPoint, Readout<String> fullName,
        Readout<String> baseName, long flags, int loadCount) {

    /** @return true when {@code va} lies inside the image */
    public boolean contains(long va) {
        return Long.compareUnsigned(va - base, size) < 0;
    }

    @Override
    public String toString() {
        return baseName.orElse("?") + " @ 0x" + Long.toHexString(base) + " (0x" + Long.toHexString(size) + ")";
    }
}
