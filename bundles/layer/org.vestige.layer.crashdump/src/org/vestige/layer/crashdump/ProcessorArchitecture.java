package org.vestige.layer.crashdump;

/**
 * {@code PROCESSOR_ARCHITECTURE_*} values of a minidump's system information.
 *
 * @since 0.1
 */
public enum ProcessorArchitecture {

    X86(0, "x86"),
    ARM(5, "ARM"),
    IA64(6, "IA-64"),
    AMD64(9, "x64"),
    X86_ON_WIN64(10, "x86 on Win64"),
    ARM64(12, "ARM64"),
    UNKNOWN(0xffff, "unknown");

    private final int code;
    private final String label;

    ProcessorArchitecture(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** @return the architecture with value {@code code}, or {@link #UNKNOWN} */
    public static ProcessorArchitecture fromCode(int code) {
        for (ProcessorArchitecture a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return UNKNOWN;
    }
}
