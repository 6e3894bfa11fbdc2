package org.vestige.layer.crashdump;

/**
 * A minidump's {@code MINIDUMP_SYSTEM_INFO}: processor and operating system of the dumped process.
 *
 * @param processorArchitecture raw {@code ProcessorArchitecture}
 * @param processorLevel        {@code ProcessorLevel} (x86 family)
 * @param processorRevision     {@code ProcessorRevision} (model and stepping)
 * @param numberOfProcessors    processor count
 * @param productType           1 workstation, 2 domain controller, 3 server
 * @param majorVersion          OS major version, e.g. 10
 * @param minorVersion          OS minor version
 * @param buildNumber           OS build number, e.g. 17134
 * @param platformId            2 for Windows NT
 * @param csdVersion            the service pack text, e.g. "Service Pack 2" (may be empty)
 * @param suiteMask             {@code SuiteMask}
 * @param cpuVendor             the x86 CPUID vendor string, empty for other processors
 * @since 0.1
 */
public record SystemInfo(int processorArchitecture, int processorLevel, int processorRevision, int numberOfProcessors,
        int productType, int majorVersion, int minorVersion, int buildNumber, int platformId, String csdVersion,
        int suiteMask, String cpuVendor) {

    /** {@code VER_PLATFORM_WIN32_NT}. */
    public static final int PLATFORM_WIN32_NT = 2;

    /** Describes a Windows NT system for a minidump writer; unknown fields are zero. */
    public static SystemInfo windows(ProcessorArchitecture architecture, int majorVersion, int minorVersion,
            int buildNumber, String csdVersion, int numberOfProcessors) {
        return new SystemInfo(architecture.code(), 0, 0, numberOfProcessors, 1, majorVersion, minorVersion,
                buildNumber, PLATFORM_WIN32_NT, csdVersion == null ? "" : csdVersion, 0, "");
    }

    /** @return the decoded processor architecture */
    public ProcessorArchitecture architecture() {
        return ProcessorArchitecture.fromCode(processorArchitecture);
    }

    /** @return e.g. {@code "Windows 10.0.17134 (x64)"} */
    public String describe() {
        String os = platformId == PLATFORM_WIN32_NT ? "Windows" : "platform " + platformId;
        return "%s %d.%d.%d%s (%s)".formatted(os, majorVersion, minorVersion, buildNumber,
                csdVersion.isEmpty() ? "" : " " + csdVersion, architecture().label());
    }
}
