package org.vestige.windows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Disassembles x86-64 machine code with the Capstone engine (BSD licence; Debian's {@code libcapstone4}),
 * called through JNA. The library is looked up once, by Debian's versioned name {@code libcapstone.so.4}
 * first (the runtime package ships no unversioned link), then {@code libcapstone.so.5} and the unversioned
 * name; when none loads, {@link #available()} is false and {@link #unavailableReason()} says why, and callers
 * go on without disassembly.
 *
 * <p>Facts used, from Capstone's public header {@code include/capstone/capstone.h}: {@code CS_ARCH_X86} is 3,
 * {@code CS_MODE_64} is 8, {@code CS_OPT_SKIPDATA} is 5 and {@code CS_OPT_ON} 3; {@code cs_open(arch, mode, csh*)},
 * {@code cs_option(csh, type, value)}, {@code cs_disasm(csh, code, size, address, count,
 * cs_insn**)}, {@code cs_free(cs_insn*, count)}, {@code cs_close(csh*)} and {@code cs_version(int*, int*)}
 * returning {@code major << 8 | minor}; {@code cs_insn} holds {@code unsigned id}, {@code uint64 address} at
 * 8, {@code uint16 size} at 16, {@code uint8 bytes[16]} (version 4; 24 in version 5) at 18, then
 * {@code char mnemonic[32]}, {@code char op_str[160]} and a {@code cs_detail*} on an 8-byte boundary.
 *
 * @since 0.1
 */
public final class X64Disassembler {

    /** The library names tried, in order. */
    public static final List<String> LIBRARY_NAMES = List.of("libcapstone.so.4", "libcapstone.so.5", "capstone");
    private static final int CS_ARCH_X86 = 3;
    private static final int CS_MODE_64 = 8;
    private static final int CS_OPT_SKIPDATA = 5;
    private static final int CS_OPT_ON = 3;
    private static final int MNEMONIC = 32;
    private static final int OPERANDS = 160;

    /**
     * One decoded instruction.
     *
     * @param address  its virtual address
     * @param size     its length in bytes
     * @param mnemonic e.g. {@code mov}
     * @param operands e.g. {@code rax, qword ptr [rsp + 8]}
     * @since 0.1
     */
    public record Instruction(long address, int size, String mnemonic, String operands) {

        /** @return the instruction as an analyst reads it, e.g. {@code 0x1000: push rbp} */
        @Override
        public String toString() {
            return MemoryReader.hex(address) + ": " + mnemonic + (operands.isEmpty() ? "" : " " + operands);
        }
    }

    private static final class Holder {
        static final X64Disassembler INSTANCE = load(LIBRARY_NAMES);
    }

    private final NativeLibrary library;
    private final String reason;
    private final int insnSize;
    private final int mnemonicAt;

    private X64Disassembler(NativeLibrary library, String reason, int bytesLength) {
        this.library = library;
        this.reason = reason;
        this.mnemonicAt = 18 + bytesLength;
        this.insnSize = (mnemonicAt + MNEMONIC + OPERANDS + 7 & ~7) + 8;
    }

    /** @return the shared disassembler (the library is looked up on first use) */
    public static X64Disassembler get() {
        return Holder.INSTANCE;
    }

    /**
     * Loads Capstone by the first of {@code names} that loads and is a supported version; {@link #get()}
     * is this with {@link #LIBRARY_NAMES}, done once.
     *
     * @return a disassembler, unavailable with every name's failure when none loads
     */
    public static X64Disassembler load(List<String> names) {
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            NativeLibrary lib;
            try {
                lib = NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                failures.add(name + ": " + firstLine(e.getMessage()));
                continue;
            }
            try {
                int version = lib.getFunction("cs_version").invokeInt(new Object[] {null, null});
                int major = version >>> 8;
                if (major == 4 || major == 5) {
                    return new X64Disassembler(lib, null, major == 4 ? 16 : 24);
                }
                failures.add(name + ": Capstone " + major + "." + (version & 0xff) + " is not a supported version (4 or 5)");
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                failures.add(name + ": " + firstLine(e.getMessage()));
            }
        }
        return new X64Disassembler(null, "disassembly unavailable: the Capstone library could not be loaded ("
                + String.join("; ", failures) + "); install Debian's libcapstone4", 16);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** @return whether Capstone was loaded */
    public boolean available() {
        return library != null;
    }

    /** @return why disassembly is unavailable, or null when it is available */
    public String unavailableReason() {
        return reason;
    }

    /**
     * Decodes up to {@code max} instructions from the start of {@code code}; a byte that starts no instruction
     * is shown as data ({@code .byte 0xc6}) and decoding goes on after it, as disassemblers show data.
     *
     * @param address the virtual address of {@code code[0]}
     * @return the instructions, empty when the first bytes decode to none
     * @throws IllegalStateException when Capstone is not {@link #available()}
     */
    public List<Instruction> disassemble(byte[] code, long address, int max) {
        if (library == null) {
            throw new IllegalStateException(reason);
        }
        List<Instruction> out = new ArrayList<>();
        if (code.length == 0 || max <= 0) {
            return out;
        }
        Memory handle = new Memory(8);
        handle.setLong(0, 0);
        int err = library.getFunction("cs_open").invokeInt(new Object[] {CS_ARCH_X86, CS_MODE_64, handle});
        if (err != 0) {
            throw new IllegalStateException("cs_open failed with Capstone error " + err);
        }
        try {
            library.getFunction("cs_option").invokeInt(new Object[] {handle.getLong(0), CS_OPT_SKIPDATA,
                (long) CS_OPT_ON});
            Memory bytes = new Memory(code.length);
            bytes.write(0, code, 0, code.length);
            Memory insnOut = new Memory(8);
            insnOut.setPointer(0, null);
            long count = library.getFunction("cs_disasm").invokeLong(new Object[] {handle.getLong(0), bytes,
                (long) code.length, address, (long) max, insnOut});
            Pointer insns = insnOut.getPointer(0);
            try {
                for (long i = 0; i < count; i++) {
                    long at = i * insnSize;
                    out.add(new Instruction(insns.getLong(at + 8), insns.getShort(at + 16) & 0xffff, string(insns, at
                            + mnemonicAt, MNEMONIC), string(insns, at + mnemonicAt + MNEMONIC, OPERANDS)));
                }
            } finally {
                if (count > 0) {
                    library.getFunction("cs_free").invokeVoid(new Object[] {insns, count});
                }
            }
        } finally {
            Function close = library.getFunction("cs_close");
            close.invokeInt(new Object[] {handle});
        }
        return out;
    }

    private static String string(Pointer p, long at, int max) {
        byte[] b = p.getByteArray(at, max);
        int n = 0;
        while (n < max && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }
}
