package org.vestige.layer.crashdump;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An x86 {@code CONTEXT} record (0x2cc bytes with the extended registers, 0xcc without):
 * {@code ContextFlags} at 0, debug registers from 4, the floating-point save area at 0x1c, segment
 * registers from 0x8c, {@code Edi}..{@code Eax} from 0x9c, {@code Ebp} 0xb4, {@code Eip} 0xb8,
 * {@code SegCs} 0xbc, {@code EFlags} 0xc0, {@code Esp} 0xc4, {@code SegSs} 0xc8.
 *
 * @since 0.1
 */
public final class X86Context extends RegisterSet implements CpuContext {

    /** Size of the x86 {@code CONTEXT} record with {@code ExtendedRegisters}. */
    public static final int SIZE = 0x2cc;

    /** Size of the part that holds the integer, control and segment registers. */
    public static final int MINIMUM_SIZE = 0xcc;

    /** {@code CONTEXT_i386 | CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS}. */
    public static final int CONTROL_INTEGER_SEGMENTS = 0x10007;

    private static final Map<String, Slot> SLOTS = new LinkedHashMap<>();

    static {
        SLOTS.put("eax", new Slot(0xb0, 4));
        SLOTS.put("ebx", new Slot(0xa4, 4));
        SLOTS.put("ecx", new Slot(0xac, 4));
        SLOTS.put("edx", new Slot(0xa8, 4));
        SLOTS.put("esi", new Slot(0xa0, 4));
        SLOTS.put("edi", new Slot(0x9c, 4));
        SLOTS.put("eip", new Slot(0xb8, 4));
        SLOTS.put("esp", new Slot(0xc4, 4));
        SLOTS.put("ebp", new Slot(0xb4, 4));
        SLOTS.put("eflags", new Slot(0xc0, 4));
        SLOTS.put("cs", new Slot(0xbc, 4));
        SLOTS.put("ss", new Slot(0xc8, 4));
        SLOTS.put("ds", new Slot(0x98, 4));
        SLOTS.put("es", new Slot(0x94, 4));
        SLOTS.put("fs", new Slot(0x90, 4));
        SLOTS.put("gs", new Slot(0x8c, 4));
        SLOTS.put("dr0", new Slot(0x04, 4));
        SLOTS.put("dr1", new Slot(0x08, 4));
        SLOTS.put("dr2", new Slot(0x0c, 4));
        SLOTS.put("dr3", new Slot(0x10, 4));
        SLOTS.put("dr6", new Slot(0x14, 4));
        SLOTS.put("dr7", new Slot(0x18, 4));
        SLOTS.put("contextflags", new Slot(0x00, 4));
    }

    private X86Context(byte[] raw) {
        super(raw);
    }

    /**
     * Decodes an x86 record of {@link #MINIMUM_SIZE} to {@link #SIZE} bytes (longer input is cut).
     *
     * @throws IllegalArgumentException when fewer than {@link #MINIMUM_SIZE} bytes are given
     */
    public static X86Context parse(byte[] bytes) {
        if (bytes.length < MINIMUM_SIZE) {
            throw new IllegalArgumentException("an x86 CONTEXT needs at least 0xcc bytes, got 0x" + Integer.toHexString(bytes.length));
        }
        return new X86Context(Arrays.copyOf(bytes, Math.min(bytes.length, SIZE)));
    }

    /** Builds a full-size record holding {@code values}; {@code contextflags} defaults to {@link #CONTROL_INTEGER_SEGMENTS}. */
    public static X86Context of(Map<String, Long> values) {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("contextflags", (long) CONTROL_INTEGER_SEGMENTS);
        all.putAll(values);
        return new X86Context(encode(SIZE, SLOTS, all));
    }

    @Override
    Map<String, Slot> slots() {
        return SLOTS;
    }

    @Override
    public String architecture() {
        return "x86";
    }

    @Override
    public int contextFlags() {
        return (int) register("contextflags");
    }

    @Override
    public long instructionPointer() {
        return register("eip");
    }

    @Override
    public long stackPointer() {
        return register("esp");
    }

    @Override
    public long framePointer() {
        return register("ebp");
    }

    @Override
    public String toString() {
        return "x86 context eip=0x%x esp=0x%x ebp=0x%x".formatted(instructionPointer(), stackPointer(), framePointer());
    }
}
