package org.vestige.layer.crashdump;

/**
 * A loaded kernel module recorded in a triage dump's driver list ({@code DUMP_DRIVER_ENTRY}: a name in
 * the string pool and a copy of the module's {@code KLDR_DATA_TABLE_ENTRY}).
 *
 * @param name          the module's path as the loader recorded it, e.g. {@code \SystemRoot\system32\ntoskrnl.exe}
 * @param dllBase       the image's base address
 * @param sizeOfImage   the image's size in memory
 * @param checkSum      the PE checksum
 * @param timeDateStamp the PE timestamp
 * @param flags         the loader entry's flags
 * @param loadCount     the loader entry's load count
 * @since 0.1
 */
public record TriageDriver(String name, long dllBase, long sizeOfImage, int checkSum, int timeDateStamp, int flags,
        int loadCount) {

    /** @return the file name part of {@link #name()}, e.g. {@code amdppm.sys} */
    public String baseName() {
        int slash = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'));
        return name.substring(slash + 1);
    }

    /** @return one past the image's last byte */
    public long end() {
        return dllBase + sizeOfImage;
    }

    /** @return whether {@code address} lies inside the image */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, dllBase) >= 0 && Long.compareUnsigned(address - dllBase, sizeOfImage) < 0;
    }
}
