package org.vestige.layer.crashdump;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.PageProvenance;
import org.vestige.testing.TestData;

/**
 * Checks the minidump reader against real dumps from the rust-minidump test data: a Windows XP x86
 * Breakpad dump and a Windows 10 x64 dbghelp dump; what holds for any minidump (thread stacks, uncaptured
 * addresses) also on one {@link MinidumpWriter} wrote, so it is checked without the test data too.
 */
public class MinidumpTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void windowsXpX86SystemInfoModulesAndThreads() throws Exception {
        Path path = TestData.require("minidump/test.dmp");
        try (Minidump m = Minidump.open(path)) {
            SystemInfo s = m.systemInfo().orElseThrow();
            assertEquals(ProcessorArchitecture.X86, s.architecture());
            assertEquals(5, s.majorVersion());
            assertEquals(1, s.minorVersion());
            assertEquals(2600, s.buildNumber());
            assertEquals(SystemInfo.PLATFORM_WIN32_NT, s.platformId());
            assertEquals("Service Pack 2", s.csdVersion());
            assertEquals("GenuineIntel", s.cpuVendor());

            assertEquals(13, m.modules().size());
            MinidumpModule main = m.modules().get(0);
            assertEquals("c:\\test_app.exe", main.name());
            assertEquals(0x400000L, main.baseOfImage());
            assertEquals(0x2d000L, main.sizeOfImage());
            assertEquals(0x45d35f6c, main.timeDateStamp());
            CodeViewRecord cv = main.codeView().orElseThrow();
            assertEquals("RSDS", cv.format());
            assertEquals("c:\\test_app.pdb", cv.pdbName());
            assertEquals("5A9832E5-2872-41C1-838E-D98914E9B7FF", cv.guid());
            assertEquals(1, cv.age());
            assertEquals("5A9832E5287241C1838ED98914E9B7FF1", cv.symbolServerKey());
            MinidumpModule ntdll = m.modules().get(1);
            assertEquals("ntdll.dll", ntdll.baseName());
            assertEquals(0x7c900000L, ntdll.baseOfImage());
            assertEquals("5.1.2600.2180", ntdll.versionInfo().orElseThrow().fileVersion());

            assertEquals(2, m.threads().size());
            MinidumpThread t = m.threads().get(0);
            assertEquals(0xbf4, t.threadId());
            assertEquals(0x7ffdf000L, t.teb());
            X86Context c = (X86Context) t.context().orElseThrow();
            assertEquals(0x2cc, t.contextSize());
            // the stack descriptor starts where the thread's stack pointer points (rounded down)
            assertTrue(Long.compareUnsigned(t.stackStart(), c.stackPointer()) <= 0);
            assertTrue(c.stackPointer() - t.stackStart() < t.stackSize());

            MinidumpException e = m.exception().orElseThrow();
            assertEquals(0xbf4, e.threadId());
            assertEquals(0xc0000005, e.record().code());
            assertEquals(0x40429eL, e.record().address());
            assertEquals(0x40429eL, e.context().orElseThrow().instructionPointer());
            assertEquals("test_app.exe", m.moduleAt(e.record().address()).orElseThrow().baseName());
            assertEquals(3932L, m.miscInfo().orElseThrow().processId().orElseThrow());
            assertTrue(m.problems().toString(), m.problems().isEmpty());
        }
    }

    @Test
    public void windows10X64SystemInfoModulesAndThreads() throws Exception {
        Path path = TestData.require("minidump/invalid-parameter.dmp");
        try (Minidump m = Minidump.open(path)) {
            SystemInfo s = m.systemInfo().orElseThrow();
            assertEquals(ProcessorArchitecture.AMD64, s.architecture());
            assertEquals(10, s.majorVersion());
            assertEquals(0, s.minorVersion());
            assertEquals(17134, s.buildNumber());
            assertEquals("Windows 10.0.17134 (x64)", s.describe());
            assertEquals(16, s.numberOfProcessors());

            List<String> names = m.modules().stream().map(MinidumpModule::baseName).toList();
            assertEquals(31, names.size());
            assertEquals("CrashTest.exe", names.get(0));
            assertTrue(names.toString(), names.containsAll(List.of("CrashTest.exe", "ntdll.dll", "kernel32.dll",
                    "KERNELBASE.dll", "dbghelp.dll")));
            MinidumpModule exe = m.modules().get(0);
            assertEquals(0x7ff61bc80000L, exe.baseOfImage());
            assertEquals("368A7C3A-63A6-44D9-BF65-9B2F4799A1C2", exe.codeView().orElseThrow().guid());
            assertEquals(3, exe.codeView().orElseThrow().age());

            assertEquals(6, m.threads().size());
            MinidumpThread first = m.threads().get(0);
            assertEquals(0x1708, first.threadId());
            assertEquals(0xfc216fd000L, first.teb());
            X64Context c = (X64Context) first.context().orElseThrow();
            assertEquals(0xfc218fe978L, c.rsp());
            assertEquals(first.stackStart(), c.rsp());
            assertEquals("ntdll.dll", m.moduleAt(c.rip()).orElseThrow().baseName());

            MinidumpException e = m.exception().orElseThrow();
            assertEquals(0x1708, e.threadId());
            assertEquals(0xc000000d, e.record().code());
            assertEquals("CrashTest.exe", m.moduleAt(e.context().orElseThrow().instructionPointer()).orElseThrow().baseName());

            MiscInfo misc = m.miscInfo().orElseThrow();
            assertEquals(6256L, misc.processId().orElseThrow());
            assertEquals("17134.1.amd64fre.rs4_release.180410-1804", misc.buildString().orElseThrow());
            assertTrue(m.problems().toString(), m.problems().isEmpty());
        }
    }

    @Test
    public void everyCapturedRangeReadsBackAsTheFileBytesAtItsRva() throws Exception {
        for (String name : List.of("minidump/test.dmp", "minidump/invalid-parameter.dmp")) {
            Path path = TestData.require(name);
            byte[] file = Files.readAllBytes(path);
            try (Minidump m = Minidump.open(path)) {
                assertFalse(m.memoryRanges().isEmpty());
                for (MemoryRange r : m.memoryRanges()) {
                    byte[] expected = Arrays.copyOfRange(file, (int) r.fileOffset(), (int) (r.fileOffset() + r.size()));
                    List<PageProvenance> seen = new ArrayList<>();
                    byte[] got = new byte[(int) r.size()];
                    int available = m.memory().read(r.base(), got, 0, got.length, (a, l, p) -> seen.add(p));
                    assertEquals(name + " range at 0x" + Long.toHexString(r.base()), got.length, available);
                    assertArrayEquals(expected, got);
                    assertEquals(new PageProvenance.Evidence(path.toString(), r.fileOffset()), seen.get(0));
                }
            }
        }
    }

    /** A full-memory minidump {@link MinidumpWriter} wrote: what follows holds for any minidump. */
    private Path written() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("written.dmp");
        if (!Files.exists(out)) {
            MinidumpWriterTest.x64Writer().write(out, MinidumpWriterTest.process());
        }
        return out;
    }

    @Test
    public void threadStacksReadBackThroughTheLayer() throws Exception {
        List<Path> dumps = new ArrayList<>(List.of(written()));
        TestData.find("minidump/invalid-parameter.dmp").ifPresent(dumps::add);
        for (Path path : dumps) {
            byte[] file = Files.readAllBytes(path);
            try (Minidump m = Minidump.open(path)) {
                assertFalse(m.threads().isEmpty());
                for (MinidumpThread t : m.threads()) {
                    byte[] expected = Arrays.copyOfRange(file, (int) t.stackRva(), (int) (t.stackRva() + t
                            .stackSize()));
                    assertArrayEquals(path.getFileName() + ": stack of thread " + t.threadId(), expected, m.memory()
                            .readBytes(t.stackStart(), (int) t.stackSize()));
                }
            }
        }
    }

    @Test
    public void uncapturedAddressesAreMissingWithTheReason() throws Exception {
        try (Minidump m = Minidump.open(written())) {
            // ntdll's image is captured for its first 0x2000 bytes only
            PageProvenance p = m.memory().provenance(MinidumpWriterTest.NTDLL + 0x2000);
            assertTrue(p instanceof PageProvenance.Missing);
            assertEquals("not captured in minidump", ((PageProvenance.Missing) p).reason());
            // a read straddling the end of a captured range: available bytes, then the gap
            MemoryRange r = m.memoryRanges().get(0);
            List<PageProvenance> seen = new ArrayList<>();
            int available = m.memory().read(r.end() - 16, new byte[64], 0, 64, (a, l, prov) -> seen.add(prov));
            assertEquals(16, available);
            assertTrue(seen.get(0) instanceof PageProvenance.Evidence);
            assertTrue(seen.get(seen.size() - 1) instanceof PageProvenance.Missing);
        }
    }

    @Test
    public void formatProbesAndOpensAsAProcessAddressSpace() throws Exception {
        Path path = TestData.require("minidump/invalid-parameter.dmp");
        MinidumpFormat format = new MinidumpFormat();
        ProbeResult r = format.probe(path);
        assertEquals(ProbeResult.CERTAIN, r.confidence());
        assertTrue(r.explanation(), r.explanation().contains("14 streams"));
        ProbeResult k = new CrashDumpFormat().probe(path);
        assertFalse(k.explanation(), k.accepts());
        assertTrue(k.explanation(), k.explanation().contains("MDMP"));
        try (OpenedEvidence e = format.open(path)) {
            assertEquals("minidump", e.formatId());
            assertEquals(AddressSpace.PROCESS_VIRTUAL, ((DumpLayer) e.physical()).addressSpace());
            assertEquals("Windows 10.0.17134 (x64)", e.properties().get("system"));
            assertEquals("6256", e.properties().get("process id"));
            Minidump m = MinidumpFormat.minidump(e);
            assertEquals(31, m.modules().size());
            MemoryRange range = m.memoryRanges().get(1);
            assertArrayEquals(m.memory().readBytes(range.base(), 32), e.physical().readBytes(range.base(), 32));
        }
    }
}
