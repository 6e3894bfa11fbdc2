package org.vestige.layer.crashdump;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Every field of a kernel crash dump header ({@code DUMP_HEADER64}, 0x2000 bytes, signature
 * {@code PAGEDU64}, or {@code DUMP_HEADER32}, 0x1000 bytes, {@code PAGEDUMP}). The kernel fills the
 * header with the word {@code PAGE} before writing the fields it knows, so a field it left alone reads
 * {@code 0x45474150}; {@link #isFill(long)} tells such values apart.
 *
 * @param signature            {@code "PAGEDU64"} or {@code "PAGEDUMP"}
 * @param majorVersion         0xf (free build) or 0xc (checked build)
 * @param minorVersion         the build number, e.g. 19041
 * @param directoryTableBase   CR3 of the crashing context
 * @param pfnDatabase          {@code MmPfnDatabase}
 * @param psLoadedModuleList   {@code PsLoadedModuleList}
 * @param psActiveProcessHead  {@code PsActiveProcessHead}
 * @param machineImageType     0x8664 (x64), 0x14c (x86), 0xaa64 (ARM64)
 * @param numberProcessors     processor count
 * @param bugCheck             bug check code and parameters
 * @param versionUser          the {@code VersionUser} text, usually empty
 * @param paeEnabled           PAE paging (32-bit headers only)
 * @param kdSecondaryVersion   {@code KdSecondaryVersion}
 * @param kdDebuggerDataBlock  virtual address of {@code _KDDEBUGGER_DATA64}
 * @param physicalMemoryBlock  the physical memory runs, absent when the header leaves them unset (triage and bitmap dumps)
 * @param exception            the exception record of the header
 * @param dumpTypeCode         the raw {@code DumpType}
 * @param requiredDumpSpace    the size the dump needs, in bytes
 * @param systemTime           when the dump was written, when set
 * @param systemUpTime         time since boot, when set
 * @param comment              the {@code Comment} text, usually empty
 * @param miniDumpFields       {@code MiniDumpFields} (triage: which parts are present)
 * @param secondaryDataState   {@code SecondaryDataState}
 * @param productType          1 workstation, 2 domain controller, 3 server
 * @param suiteMask            {@code SuiteMask}
 * @param writerStatus         {@code WriterStatus}
 * @param attributes           {@code Attributes} (64-bit headers; 0 otherwise)
 * @param bootId               {@code BootId} (64-bit headers; 0 otherwise)
 * @since 0.1
 */
public record DumpHeader(String signature, int majorVersion, int minorVersion, long directoryTableBase,
        long pfnDatabase, long psLoadedModuleList, long psActiveProcessHead, int machineImageType,
        int numberProcessors, BugCheck bugCheck, String versionUser, boolean paeEnabled, int kdSecondaryVersion,
        long kdDebuggerDataBlock, Optional<PhysicalMemoryDescriptor> physicalMemoryBlock, ExceptionRecord exception,
        int dumpTypeCode, long requiredDumpSpace, Optional<Instant> systemTime, Optional<Duration> systemUpTime,
        String comment, int miniDumpFields, int secondaryDataState, int productType, int suiteMask,
        int writerStatus, int attributes, int bootId) {

    /** The 32-bit filler the kernel writes before the header fields ("PAGE"). */
    public static final int FILL32 = 0x45474150;

    /** The 64-bit filler ("PAGEPAGE"). */
    public static final long FILL64 = 0x4547415045474150L;

    /** @return true when {@code value} is the "PAGE" filler, i.e. the kernel did not set the field */
    public static boolean isFill(long value) {
        return value == FILL64 || value == FILL32;
    }

    /** @return a short name for an {@code IMAGE_FILE_MACHINE_*} value, e.g. {@code x64} for 0x8664 */
    public static String machineName(int machineImageType) {
        return switch (machineImageType) {
            case 0x8664 -> "x64";
            case 0x14c -> "x86";
            case 0xaa64 -> "ARM64";
            case 0x1c4 -> "ARM";
            default -> "machine 0x" + Integer.toHexString(machineImageType);
        };
    }

    /** @return true for a {@code PAGEDU64} header */
    public boolean is64Bit() {
        return "PAGEDU64".equals(signature);
    }

    /** @return the header's size: 0x2000 for 64-bit dumps, 0x1000 for 32-bit ones */
    public int headerSize() {
        return is64Bit() ? 0x2000 : 0x1000;
    }

    /** @return the file offset of the header's {@code ContextRecord} */
    public int contextRecordOffset() {
        return is64Bit() ? 0x348 : 0x320;
    }

    /** @return the file offset of the header's exception record */
    public int exceptionOffset() {
        return is64Bit() ? 0xf00 : 0x7d0;
    }

    /** @return the decoded dump type */
    public DumpType dumpType() {
        return DumpType.fromCode(dumpTypeCode);
    }

    /** @return the Windows build number (the header's MinorVersion) */
    public int buildNumber() {
        return minorVersion;
    }

    /** @return the values kernel discovery can use directly */
    public KernelHints hints() {
        return new KernelHints(directoryTableBase, pfnDatabase, psLoadedModuleList, psActiveProcessHead,
                kdDebuggerDataBlock, machineImageType, majorVersion, minorVersion, paeEnabled);
    }
}
