package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.Test;

/**
 * Capstone through JNA: the library Debian's libcapstone4 installs (scripts/install-deps.sh, which CI runs)
 * must load by its versioned name and decode x86-64, data bytes included; a library that cannot be loaded
 * leaves a disassembler that says why instead of failing.
 */
public class X64DisassemblerTest {

    @Test
    public void decodesX64WithTheInstalledLibrary() {
        X64Disassembler d = X64Disassembler.get();
        assertTrue(d.unavailableReason(), d.available());
        // push rbp; mov rbp, rsp; mov rax, [rip+0x10]; ret (Intel SDM vol. 2 encodings)
        List<X64Disassembler.Instruction> code = d.disassemble(HexFormat.of().parseHex("554889e5488b0510000000c3"),
                0x7ff600001000L, 10);
        assertEquals(List.of("0x7ff600001000: push rbp", "0x7ff600001001: mov rbp, rsp",
                "0x7ff600001004: mov rax, qword ptr [rip + 0x10]", "0x7ff60000100b: ret"), code.stream().map(
                        X64Disassembler.Instruction::toString).toList());
        assertEquals(7, code.get(2).size());
    }

    @Test
    public void aByteThatStartsNoInstructionIsShownAsDataAndDecodingGoesOn() {
        // 06 (push es) is invalid in 64-bit mode; c3 is ret
        List<X64Disassembler.Instruction> code = X64Disassembler.get().disassemble(new byte[] {0x06, (byte) 0xc3},
                0x1000, 10);
        assertEquals(List.of("0x1000: .byte 0x06", "0x1001: ret"), code.stream().map(
                X64Disassembler.Instruction::toString).toList());
    }

    @Test
    public void aLibraryThatCannotBeLoadedLeavesAnUnavailableDisassemblerThatSaysWhy() {
        X64Disassembler d = X64Disassembler.load(List.of("libcapstone-absent.so.9"));
        assertFalse(d.available());
        assertTrue(d.unavailableReason(), d.unavailableReason().startsWith("disassembly unavailable")
                && d.unavailableReason().contains("libcapstone-absent.so.9"));
        assertThrows(IllegalStateException.class, () -> d.disassemble(new byte[] {(byte) 0xc3}, 0, 1));
    }
}
