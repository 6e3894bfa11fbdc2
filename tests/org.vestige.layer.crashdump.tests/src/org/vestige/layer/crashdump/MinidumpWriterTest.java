package org.vestige.layer.crashdump;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/** Writes full-memory minidumps and reads them back with {@link Minidump}. */
public class MinidumpWriterTest {

    static final long EXE = 0x7ff6_1bc8_0000L;
    static final long NTDLL = 0x7ff8_06ab_0000L;
    static final long STACK = 0xfc_218f_c000L;
    static final long HEAP = 0x1d4_5a7f_0000L;
    static final long TEB = 0xfc_216f_d000L;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The x64 process every test dumps: two images, a stack and a heap, part of which is unavailable. */
    static ProcessMemory process() {
        byte[] mz = "MZ\u0090\0".getBytes(StandardCharsets.ISO_8859_1);
        return new ProcessMemory()
                .put(EXE, ProcessMemory.withPrefix(mz, 0x3000, 1))
                .put(NTDLL, ProcessMemory.withPrefix(mz, 0x2000, 2))
                .put(STACK, ProcessMemory.pattern(0x4000, 3))
                .put(HEAP, ProcessMemory.pattern(0x1800, 4));
    }

    static CodeViewRecord exeCodeView() {
        return new CodeViewRecord("RSDS", "C:\\build\\CrashTest\\x64\\Debug\\CrashTest.pdb",
                "368A7C3A-63A6-44D9-BF65-9B2F4799A1C2", 3, 0);
    }

    static X64Context context(long rip, long rsp) {
        return X64Context.of(Map.of("rip", rip, "rsp", rsp, "rbp", rsp + 0x80, "rax", 0x1234L, "eflags", 0x246L,
                "cs", 0x33L, "ss", 0x2bL));
    }

    static MinidumpWriter x64Writer() {
        return new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041, "", 8))
                .timestamp(Instant.parse("2024-05-01T10:00:00Z"))
                .processId(6256)
                .processCreateTime(Instant.parse("2024-05-01T09:59:00Z"))
                .module(new MinidumpWriter.Module("C:\\build\\CrashTest.exe", EXE, 0x191000, 0x5ba523af, 0,
                        Optional.of(exeCodeView())))
                .module(new MinidumpWriter.Module("C:\\Windows\\System32\\ntdll.dll", NTDLL, 0x1e1000, 0xa5a334d4,
                        0x1e8b42))
                .thread(new MinidumpWriter.Thread(0x1708, TEB, STACK + 0x1000, 0x3000, context(NTDLL + 0x99f74, STACK + 0x1000)))
                .thread(new MinidumpWriter.Thread(0x1350, TEB + 0x2000, STACK + 0x3800, 0x800, context(EXE + 0x7a9a3, STACK + 0x3800)))
                .memory(EXE, 0x3000)
                .memory(NTDLL, 0x2000)
                .memory(STACK, 0x4000)
                .memory(STACK + 0x1000, 0x1000)
                // 0x800 bytes past the end of the heap the source does not have
                .memory(HEAP, 0x2000);
    }

    @Test
    public void roundTripX64() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("crashtest.dmp");
        ProcessMemory memory = process();
        MinidumpWriter.Result result = x64Writer()
                .exception(0x1708, new ExceptionRecord(0xc0000005, 0, 0, NTDLL + 0x99f74, List.of(1L, 0x10L)))
                .write(out, memory);

        assertEquals(Files.size(out), result.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out))),
                result.sha256());
        assertEquals(4, result.memoryRanges());
        assertEquals(0x3000 + 0x2000 + 0x4000 + 0x2000, result.memoryBytes());
        assertEquals(0x800, result.unavailableBytes());

        try (Minidump m = Minidump.open(out)) {
            assertTrue(m.problems().toString(), m.problems().isEmpty());
            assertEquals(MinidumpHeader.VERSION, m.header().version());
            assertEquals(Instant.parse("2024-05-01T10:00:00Z"), m.header().timeDateStamp());
            assertEquals(MinidumpHeader.WITH_FULL_MEMORY, m.header().flags());

            SystemInfo s = m.systemInfo().orElseThrow();
            assertEquals(ProcessorArchitecture.AMD64, s.architecture());
            assertEquals(19041, s.buildNumber());
            assertEquals(8, s.numberOfProcessors());

            assertEquals(2, m.modules().size());
            MinidumpModule exe = m.modules().get(0);
            assertEquals("C:\\build\\CrashTest.exe", exe.name());
            assertEquals(EXE, exe.baseOfImage());
            assertEquals(0x191000, exe.sizeOfImage());
            assertEquals(0x5ba523af, exe.timeDateStamp());
            assertEquals(exeCodeView(), exe.codeView().orElseThrow());
            MinidumpModule ntdll = m.modules().get(1);
            assertEquals(0x1e8b42, ntdll.checkSum());
            assertEquals(Optional.empty(), ntdll.codeView());

            assertEquals(2, m.threads().size());
            MinidumpThread t = m.threads().get(0);
            assertEquals(0x1708, t.threadId());
            assertEquals(TEB, t.teb());
            assertEquals(context(NTDLL + 0x99f74, STACK + 0x1000), t.context().orElseThrow());
            assertEquals(STACK + 0x1000, t.stackStart());
            assertEquals(0x3000, t.stackSize());
            byte[] file = Files.readAllBytes(out);
            assertArrayEquals("the stack descriptor points at the stack bytes in the memory data",
                    memory.expected(STACK + 0x1000, 0x3000),
                    java.util.Arrays.copyOfRange(file, (int) t.stackRva(), (int) (t.stackRva() + t.stackSize())));

            MinidumpException e = m.exception().orElseThrow();
            assertEquals(0x1708, e.threadId());
            assertEquals(0xc0000005, e.record().code());
            assertEquals(List.of(1L, 0x10L), e.record().parameters());
            assertEquals(t.context(), e.context());

            MiscInfo misc = m.miscInfo().orElseThrow();
            assertEquals(6256L, misc.processId().orElseThrow());
            assertEquals(Instant.parse("2024-05-01T09:59:00Z"), misc.processCreateTime().orElseThrow());

            // overlapping requests are merged, in address order
            assertEquals(List.of(STACK, HEAP, EXE, NTDLL), m.memoryRanges().stream().map(MemoryRange::base).toList());
            for (MemoryRange r : m.memoryRanges()) {
                assertArrayEquals("range at 0x" + Long.toHexString(r.base()), memory.expected(r.base(), (int) r.size()),
                        m.memory().readBytes(r.base(), (int) r.size()));
            }
            assertEquals("MZ", new String(m.memory().readBytes(EXE, 2), StandardCharsets.US_ASCII));
            assertEquals("MZ", new String(m.memory().readBytes(NTDLL, 2), StandardCharsets.US_ASCII));
            PageProvenance gap = m.memory().provenance(EXE + 0x3000);
            assertEquals(new PageProvenance.Missing(new MissingCause.NotCaptured(), "not captured in minidump"), gap);
        }
    }

    @Test
    public void roundTripX86() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("x86.dmp");
        ProcessMemory memory = new ProcessMemory().put(0x400000, ProcessMemory.pattern(0x1000, 9))
                .put(0x12f000, ProcessMemory.pattern(0x1000, 10));
        X86Context ctx = X86Context.of(Map.of("eip", 0x40429eL, "esp", 0x12f320L, "ebp", 0x12f384L));
        new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.X86, 5, 1, 2600, "Service Pack 2", 1))
                .module(new MinidumpWriter.Module("c:\\test_app.exe", 0x400000, 0x2d000, 0x45d35f6c, 0,
                        Optional.of(new CodeViewRecord("NB10", "c:\\test_app.pdb", "", 2, 0x45d35f6c))))
                .thread(new MinidumpWriter.Thread(0xbf4, 0x7ffdf000L, 0x12f320, 0xce0, ctx))
                .memory(0x400000, 0x1000)
                .memory(0x12f000, 0x1000)
                .write(out, memory);
        try (Minidump m = Minidump.open(out)) {
            assertEquals("Windows 5.1.2600 Service Pack 2 (x86)", m.systemInfo().orElseThrow().describe());
            CodeViewRecord cv = m.modules().get(0).codeView().orElseThrow();
            assertEquals("NB10", cv.format());
            assertEquals(0x45d35f6c, cv.signature());
            assertEquals(2, cv.age());
            assertEquals("c:\\test_app.pdb", cv.pdbName());
            assertEquals(ctx, m.threads().get(0).context().orElseThrow());
            assertEquals(0xce0, m.threads().get(0).stackSize());
            assertArrayEquals(memory.expected(0x12f320, 0xce0), m.memory().readBytes(0x12f320, 0xce0));
        }
    }

    @Test
    public void stackOutsideTheCapturedMemoryIsNotReferenced() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("nostack.dmp");
        new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041, "", 1))
                .thread(new MinidumpWriter.Thread(1, TEB, STACK, 0x1000, context(0, STACK)))
                .memory(EXE, 0x1000)
                .write(out, process());
        try (Minidump m = Minidump.open(out)) {
            MinidumpThread t = m.threads().get(0);
            assertEquals(STACK, t.stackStart());
            assertEquals(0, t.stackSize());
            assertEquals(0, t.stackRva());
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void contextMustMatchTheArchitecture() {
        new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041, "", 1))
                .thread(new MinidumpWriter.Thread(1, 0, 0, 0, X86Context.of(Map.of())));
    }
}
