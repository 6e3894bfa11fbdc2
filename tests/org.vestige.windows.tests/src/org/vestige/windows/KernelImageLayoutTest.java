package org.vestige.windows;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.List;

import org.junit.AfterClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.SynthTruth;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.PeImage;

/**
 * The synthesized kernel is laid out as the loader leaves it: every page from the headers to the end of the
 * last section mapped, sections tiling SizeOfImage, the debug directory's RSDS record naming the PDB, the
 * exports other tools look up, {@code MmProtectToValue} holding the PAGE_* values, and on Windows 7 the
 * boot-mapped placement (physical = virtual − 0xfffff80000000000).
 */
@RunWith(Parameterized.class)
public class KernelImageLayoutTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private static final java.util.Map<Integer, Discovered> IMAGES = new java.util.HashMap<>();

    private final String profileFile;
    private final int build;

    public KernelImageLayoutTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    private Discovered image() {
        return IMAGES.computeIfAbsent(build, b -> Discovered.of(profileFile, b));
    }

    @AfterClass
    public static void close() {
        IMAGES.values().forEach(Discovered::close);
        IMAGES.clear();
    }

    private PeImage pe() throws PeImage.NotPeException {
        return PeImage.read(image().kernel(), image().discovery.kernelBase());
    }

    @Test
    public void everyPageFromHeadersToLastSectionIsMappedAndSectionsTileTheImage() throws Exception {
        Discovered d = image();
        SynthTruth t = d.truth();
        PeImage pe = pe();
        assertEquals(t.kernelSize(), pe.sizeOfImage());
        List<PeImage.Section> sections = pe.sections();
        assertTrue(sections.size() >= 5);
        int end = 0x1000;
        for (PeImage.Section s : sections) {
            assertEquals(s.name() + " starts where the previous section ends", end, s.rva());
            end = s.rva() + ((s.virtualSize() + 0xfff) & ~0xfff);
        }
        assertEquals("the last section ends at SizeOfImage", pe.sizeOfImage(), end);
        X64Layer kernel = d.kernel();
        for (long off = 0; off < pe.sizeOfImage(); off += 0x1000) {
            long va = t.kernelBase() + off;
            long pa = kernel.translate(va);
            assertTrue("kernel page +0x" + Long.toHexString(off) + " is not mapped", pa >= 0);
            if (build < 9200) {
                assertEquals("Windows 7 boot-maps the kernel at physical = virtual - 0xfffff80000000000",
                        va - 0xFFFFF80000000000L, pa);
            }
        }
        if (t.guid().equals(d.profile().identity().guid())) {
            // a real kernel's section table: the globals lie in the sections a real kernel has them in
            assertSection(pe, "PsActiveProcessHead", ".data");
            assertSection(pe, "KdDebuggerDataBlock", ".data");
            assertSection(pe, "PsInitialSystemProcess", "ALMOSTRO");
            assertTrue(pe.hasSection("INIT") && pe.hasSection("PAGE") && pe.hasSection(".reloc"));
        }
    }

    private void assertSection(PeImage pe, String symbol, String section) {
        long rva = image().truth().symbolRvas().get(symbol);
        PeImage.Section s = pe.sections().stream().filter(x -> rva >= x.rva() && rva < x.rva() + x.virtualSize())
                .findFirst().orElseThrow(() -> new AssertionError(symbol + " lies in no section"));
        assertEquals(symbol, section, s.name());
    }

    @Test
    public void debugDirectoryNamesThePdbAndExportsResolve() throws Exception {
        Discovered d = image();
        SynthTruth t = d.truth();
        PeImage pe = pe();
        PeImage.CodeView cv = pe.codeView(d.kernel()).orElseThrow();
        assertEquals(t.guid(), cv.guid());
        assertEquals(t.age(), cv.age());
        assertEquals(t.pdbName(), cv.pdbName());
        assertEquals("ntoskrnl.exe", pe.exportName(d.kernel()).orElseThrow());
        for (String name : List.of("PsLoadedModuleList", "PsInitialSystemProcess", "KeServiceDescriptorTable",
                "NtBuildNumber")) {
            assertEquals(name, t.symbolRvas().get(name).longValue(), pe.export(d.kernel(), name));
        }
        assertEquals(-1, pe.export(d.kernel(), "PsActiveProcessHead"));
    }

    @Test
    public void mmProtectToValueHoldsThePageProtections() {
        Discovered d = image();
        long va = d.truth().globals().get("MmProtectToValue");
        byte[] b = d.kernel().readBytes(va, 32 * 4);
        long[] values = new long[32];
        for (int i = 0; i < 32; i++) {
            values[i] = Bytes.u32(b, i * 4);
        }
        // PAGE_NOACCESS 1, READONLY 2, EXECUTE 0x10, EXECUTE_READ 0x20, READWRITE 4, WRITECOPY 8,
        // EXECUTE_READWRITE 0x40, EXECUTE_WRITECOPY 0x80; then | NOCACHE 0x200, | GUARD 0x100, | WRITECOMBINE 0x400
        long[] expected = {
            0x01, 0x02, 0x10, 0x20, 0x04, 0x08, 0x40, 0x80,
            0x01, 0x202, 0x210, 0x220, 0x204, 0x208, 0x240, 0x280,
            0x01, 0x102, 0x110, 0x120, 0x104, 0x108, 0x140, 0x180,
            0x01, 0x402, 0x410, 0x420, 0x404, 0x408, 0x440, 0x480};
        assertArrayEquals(expected, values);
    }

    @Test
    public void kdVersionBlockNamesTheKernelAndTheDebuggerDataList() {
        Discovered d = image();
        SynthTruth t = d.truth();
        byte[] v = d.kernel().readBytes(t.globals().get("KdVersionBlock"), 0x28);
        assertEquals(build, Bytes.u16(v, 2));
        assertEquals(0x8664, Bytes.u16(v, 8));
        assertEquals(t.kernelBase(), Bytes.u64(v, 0x10));
        assertEquals(t.globals().get("PsLoadedModuleList").longValue(), Bytes.u64(v, 0x18));
        long list = Bytes.u64(v, 0x20);
        byte[] head = d.kernel().readBytes(list, 8);
        assertEquals("the debugger data list leads to the KDBG block", t.kdbg(), Bytes.u64(head, 0));
    }
}
