package org.vestige.layer.crashdump;

import java.util.Optional;

/**
 * A loaded module as a minidump's module list records it ({@code MINIDUMP_MODULE}).
 *
 * @param name          the module's path, e.g. {@code C:\Windows\System32\ntdll.dll}
 * @param baseOfImage   base address
 * @param sizeOfImage   size in memory
 * @param checkSum      PE checksum
 * @param timeDateStamp PE timestamp
 * @param versionInfo   the file version record, when filled in
 * @param codeView      the PDB reference, when present
 * @since 0.1
 */
public record MinidumpModule(String name, long baseOfImage, long sizeOfImage, int checkSum, int timeDateStamp,
        Optional<FixedFileInfo> versionInfo, Optional<CodeViewRecord> codeView) {

    /** @return the file name part of {@link #name()}, e.g. {@code ntdll.dll} */
    public String baseName() {
        int slash = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'));
        return name.substring(slash + 1);
    }

    /** @return whether {@code address} lies inside the image */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, baseOfImage) >= 0
                && Long.compareUnsigned(address - baseOfImage, sizeOfImage) < 0;
    }
}
