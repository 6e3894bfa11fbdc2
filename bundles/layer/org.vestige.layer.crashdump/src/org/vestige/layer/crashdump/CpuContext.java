package org.vestige.layer.crashdump;

import java.util.Map;

/**
 * A thread's processor registers as a Windows {@code CONTEXT} record stores them: the x64 layout
 * (0x4d0 bytes) or the x86 layout (0x2cc bytes). Register names are lower case, as WinDbg prints
 * them ({@code rip}, {@code rsp}, {@code efl} as {@code eflags}, {@code cs}…).
 *
 * @since 0.1
 */
public sealed interface CpuContext permits X64Context, X86Context {

    /** @return {@code "x64"} or {@code "x86"} */
    String architecture();

    /** @return the {@code ContextFlags} field: which register groups the record holds */
    int contextFlags();

    /** @return rip or eip */
    long instructionPointer();

    /** @return rsp or esp */
    long stackPointer();

    /** @return rbp or ebp */
    long framePointer();

    /**
     * @return the value of register {@code name} (case-insensitive)
     * @throws IllegalArgumentException when the architecture has no such register
     */
    long register(String name);

    /** @return every decoded register, in WinDbg's display order */
    Map<String, Long> registers();

    /** @return a copy of the record's bytes */
    byte[] raw();
}
