package org.vestige.layer.crashdump;

/**
 * What a kernel crash dump header tells kernel discovery directly, so that it need not scan for the
 * directory table base or the debugger data block: the kernel's own values at the time of the crash.
 *
 * @param directoryTableBase   CR3 of the crashing context (physical address of the top-level page table;
 *                             low 12 bits may carry a PCID and should be masked)
 * @param pfnDatabase          virtual address of the PFN database ({@code MmPfnDatabase})
 * @param psLoadedModuleList   virtual address of {@code PsLoadedModuleList}
 * @param psActiveProcessHead  virtual address of {@code PsActiveProcessHead}
 * @param kdDebuggerDataBlock  virtual address of the {@code _KDDEBUGGER_DATA64} block ({@code KdDebuggerDataBlock})
 * @param machineImageType     {@code IMAGE_FILE_MACHINE_AMD64} (0x8664), {@code _I386} (0x14c) or {@code _ARM64} (0xaa64)
 * @param majorVersion         0xf for a free (retail) build, 0xc for a checked build
 * @param buildNumber          the Windows build number (the header's MinorVersion), e.g. 19041
 * @param paeEnabled           whether a 32-bit kernel used PAE paging (always false for 64-bit dumps)
 * @since 0.1
 */
public record KernelHints(long directoryTableBase, long pfnDatabase, long psLoadedModuleList,
        long psActiveProcessHead, long kdDebuggerDataBlock, int machineImageType, int majorVersion,
        int buildNumber, boolean paeEnabled) {

    /** @return true for an x64 or ARM64 kernel */
    public boolean is64Bit() {
        return machineImageType == 0x8664 || machineImageType == 0xaa64;
    }
}
