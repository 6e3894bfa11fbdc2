package org.vestige.layer.crashdump;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An x64 {@code CONTEXT} record (0x4d0 bytes): {@code ContextFlags} at 0x30, segment registers at
 * 0x38, {@code EFlags} at 0x44, debug registers from 0x48, {@code Rax}..{@code R15} from 0x78,
 * {@code Rip} at 0xf8, then the floating-point and vector state.
 *
 * @since 0.1
 */
public final class X64Context extends RegisterSet implements CpuContext {

    /** Size of the x64 {@code CONTEXT} record. */
    public static final int SIZE = 0x4d0;

    /** {@code CONTEXT_AMD64 | CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS}. */
    public static final int CONTROL_INTEGER_SEGMENTS = 0x100007;

    private static final Map<String, Slot> SLOTS = new LinkedHashMap<>();

    static {
        String[] gprs = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
                "r13", "r14", "r15"};
        Map<String, Slot> gpr = new LinkedHashMap<>();
        for (int i = 0; i < gprs.length; i++) {
            gpr.put(gprs[i], new Slot(0x78 + 8 * i, 8));
        }
        for (String n : new String[] {"rax", "rbx", "rcx", "rdx", "rsi", "rdi"}) {
            SLOTS.put(n, gpr.get(n));
        }
        SLOTS.put("rip", new Slot(0xf8, 8));
        SLOTS.put("rsp", gpr.get("rsp"));
        SLOTS.put("rbp", gpr.get("rbp"));
        for (int i = 8; i <= 15; i++) {
            SLOTS.put("r" + i, gpr.get("r" + i));
        }
        SLOTS.put("eflags", new Slot(0x44, 4));
        SLOTS.put("cs", new Slot(0x38, 2));
        SLOTS.put("ds", new Slot(0x3a, 2));
        SLOTS.put("es", new Slot(0x3c, 2));
        SLOTS.put("fs", new Slot(0x3e, 2));
        SLOTS.put("gs", new Slot(0x40, 2));
        SLOTS.put("ss", new Slot(0x42, 2));
        SLOTS.put("dr0", new Slot(0x48, 8));
        SLOTS.put("dr1", new Slot(0x50, 8));
        SLOTS.put("dr2", new Slot(0x58, 8));
        SLOTS.put("dr3", new Slot(0x60, 8));
        SLOTS.put("dr6", new Slot(0x68, 8));
        SLOTS.put("dr7", new Slot(0x70, 8));
        SLOTS.put("mxcsr", new Slot(0x34, 4));
        SLOTS.put("contextflags", new Slot(0x30, 4));
    }

    private X64Context(byte[] raw) {
        super(raw);
    }

    /**
     * Decodes the first {@link #SIZE} bytes of {@code bytes}.
     *
     * @throws IllegalArgumentException when fewer than {@link #SIZE} bytes are given
     */
    public static X64Context parse(byte[] bytes) {
        if (bytes.length < SIZE) {
            throw new IllegalArgumentException("an x64 CONTEXT needs 0x4d0 bytes, got 0x" + Integer.toHexString(bytes.length));
        }
        return new X64Context(Arrays.copyOf(bytes, SIZE));
    }

    /**
     * Builds a record holding {@code values} (register name to value, names as in {@link #registers()});
     * {@code contextflags} defaults to {@link #CONTROL_INTEGER_SEGMENTS}.
     */
    public static X64Context of(Map<String, Long> values) {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("contextflags", (long) CONTROL_INTEGER_SEGMENTS);
        all.putAll(values);
        return new X64Context(encode(SIZE, SLOTS, all));
    }

    @Override
    Map<String, Slot> slots() {
        return SLOTS;
    }

    @Override
    public String architecture() {
        return "x64";
    }

    @Override
    public int contextFlags() {
        return (int) register("contextflags");
    }

    @Override
    public long instructionPointer() {
        return rip();
    }

    @Override
    public long stackPointer() {
        return rsp();
    }

    @Override
    public long framePointer() {
        return register("rbp");
    }

    public long rip() {
        return register("rip");
    }

    public long rsp() {
        return register("rsp");
    }

    public long rax() {
        return register("rax");
    }

    public long rcx() {
        return register("rcx");
    }

    public long rdx() {
        return register("rdx");
    }

    public long rbx() {
        return register("rbx");
    }

    public int eflags() {
        return (int) register("eflags");
    }

    @Override
    public String toString() {
        return "x64 context rip=0x%x rsp=0x%x rbp=0x%x".formatted(rip(), rsp(), framePointer());
    }
}
