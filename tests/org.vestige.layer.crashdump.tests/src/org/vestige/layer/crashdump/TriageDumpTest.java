package org.vestige.layer.crashdump;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.PageProvenance;
import org.vestige.testing.TestData;

/**
 * Checks the reader against a real Windows 10 x64 (19041) triage dump whose facts come from the
 * README of the third-party test data (values other tools report for the same file).
 */
public class TriageDumpTest {

    private static final String FILE = "crashdump/triage_x64.dmp";
    private static Path path;
    private static CrashDump dump;

    @BeforeClass
    public static void open() throws Exception {
        path = TestData.require(FILE);
        dump = CrashDump.open(path);
    }

    @AfterClass
    public static void close() throws Exception {
        if (dump != null) {
            dump.close();
        }
    }

    @Test
    public void headerFieldsMatchGroundTruth() {
        DumpHeader h = dump.header();
        assertEquals("PAGEDU64", h.signature());
        assertTrue(h.is64Bit());
        assertEquals(0xf, h.majorVersion());
        assertEquals(0x4a61, h.minorVersion());
        assertEquals(19041, h.buildNumber());
        assertEquals(0x1ad000L, h.directoryTableBase());
        assertEquals(0xfffff8047c6fc500L, h.pfnDatabase());
        assertEquals(0xfffff8047c62a390L, h.psLoadedModuleList());
        assertEquals(0xfffff8047c61e200L, h.psActiveProcessHead());
        assertEquals(0x8664, h.machineImageType());
        assertEquals(16, h.numberProcessors());
        assertEquals(0xfffff8047c600b20L, h.kdDebuggerDataBlock());
        assertEquals(1, h.productType());
        assertEquals(0x110, h.suiteMask());
        assertEquals(DumpType.TRIAGE, h.dumpType());
        assertEquals(4, h.dumpTypeCode());
        assertFalse("a triage dump leaves the PhysicalMemoryBlock as filler", h.physicalMemoryBlock().isPresent());
        assertTrue(h.systemTime().isPresent());
        assertEquals(2021, h.systemTime().get().atZone(java.time.ZoneOffset.UTC).getYear());
    }

    @Test
    public void bugCheckCodeAndParameters() {
        BugCheck b = dump.header().bugCheck();
        assertEquals(0x1000007e, b.code());
        assertEquals(List.of(0xffffffffc0000005L, 0xfffff8048b58334cL, 0xffff850429891ee8L, 0xffff850429891720L),
                b.parameters());
        assertEquals(0xfffff8048b58334cL, b.parameter(2));
    }

    @Test
    public void kernelHintsAreTypedAndInTheProperties() throws Exception {
        KernelHints k = dump.hints();
        assertEquals(0x1ad000L, k.directoryTableBase());
        assertEquals(0xfffff8047c62a390L, k.psLoadedModuleList());
        assertEquals(0xfffff8047c61e200L, k.psActiveProcessHead());
        assertEquals(0xfffff8047c600b20L, k.kdDebuggerDataBlock());
        assertEquals(19041, k.buildNumber());
        assertTrue(k.is64Bit());

        CrashDumpFormat format = new CrashDumpFormat();
        try (OpenedEvidence e = format.open(path)) {
            assertEquals("crashdump", e.formatId());
            assertEquals("0x1ad000", e.properties().get("DirectoryTableBase"));
            assertEquals("0xfffff8047c62a390", e.properties().get("PsLoadedModuleList"));
            assertEquals("0xfffff8047c61e200", e.properties().get("PsActiveProcessHead"));
            assertEquals("0xfffff8047c600b20", e.properties().get("KdDebuggerDataBlock"));
            assertEquals("amdppm.sys at 0xfffff8048b580000 (size 0x3b000)", e.properties().get("header context in"));
            assertEquals(k, CrashDumpFormat.hints(e));
            assertEquals(AddressSpace.KERNEL_VIRTUAL, ((DumpLayer) e.physical()).addressSpace());
        }
    }

    @Test
    public void contextIsTheOneKeBugCheckExSaved() {
        CpuContext c = dump.context().orElseThrow();
        assertEquals("x64", c.architecture());
        assertEquals(0xfffff8047bdf5a80L, c.instructionPointer());
        assertEquals(0xffff850429890ee8L, c.stackPointer());
        assertEquals(0xfffff8047bdf5a80L, c.register("RIP"));
        // KeBugCheckEx(BugCheckCode, P1, ...) keeps its arguments in rcx, rdx, r8, r9
        assertEquals(0x7eL, c.register("rcx"));
        assertEquals(0xffffffffc0000005L, c.register("rdx"));
        assertEquals(0xfffff8048b58334cL, c.register("r8"));
        assertEquals(0xffff850429891ee8L, c.register("r9"));
        // the stack pointer KeBugCheckEx ran on is the top of the stack the triage dump copied
        assertEquals(dump.triage().orElseThrow().header().topOfStack(), c.stackPointer());
    }

    @Test
    public void headerContextIsTheFaultingInstruction() {
        X64Context c = (X64Context) dump.headerContext().orElseThrow();
        // the exception happened at bug check parameter 2, inside amdppm.sys
        assertEquals(dump.header().bugCheck().parameter(2), c.rip());
        assertEquals("amdppm.sys", dump.triage().orElseThrow().driverAt(c.rip()).orElseThrow().baseName());
        assertEquals(0x10001f, c.contextFlags());
    }

    @Test
    public void exceptionRecordIsTheBugCheckBreakpoint() {
        ExceptionRecord e = dump.header().exception();
        assertEquals(0x80000003, e.code());
        assertEquals(0xfffff8047bdf5a80L, e.address());
    }

    @Test
    public void triageHeaderOffsets() {
        TriageHeader t = dump.triage().orElseThrow().header();
        assertEquals(0x348, t.contextOffset());
        assertEquals(0xf00, t.exceptionOffset());
        assertEquals(0xd0b8, t.processOffset());
        assertEquals(0xdaf8, t.threadOffset());
        assertEquals(0x10828, t.driverListOffset());
        assertEquals(151, t.driverCount());
        assertEquals(0x15d18, t.stringPoolOffset());
        assertEquals(0x104a8, t.debuggerDataOffset());
        assertEquals(0x380, t.debuggerDataSize());
        assertEquals(0x19438, t.dataBlocksOffset());
        assertEquals(0x727, t.dataBlocksCount());
        assertEquals(0xffff850429890ee8L, t.topOfStack());
        // the header's own offsets agree with the main header's layout
        assertEquals(dump.header().contextRecordOffset(), t.contextOffset());
        assertEquals(dump.header().exceptionOffset(), t.exceptionOffset());
    }

    @Test
    public void driverList() {
        TriageDump t = dump.triage().orElseThrow();
        assertEquals(151, t.drivers().size());
        TriageDriver nt = t.drivers().get(0);
        assertEquals("\\SystemRoot\\system32\\ntoskrnl.exe", nt.name());
        assertEquals(0xfffff8047ba00000L, nt.dllBase());
        TriageDriver amdppm = t.driver("amdppm.sys").orElseThrow();
        assertEquals(0xFFFFF8048B580000L, amdppm.dllBase());
        assertEquals(0x3B000L, amdppm.sizeOfImage());
        assertEquals(amdppm, t.driverAt(dump.header().bugCheck().parameter(2)).orElseThrow());
        for (TriageDriver d : t.drivers()) {
            assertFalse("driver with an empty name at 0x" + Long.toHexString(d.dllBase()), d.name().isEmpty());
            assertTrue(d.name() + " has no size", d.sizeOfImage() > 0);
        }
        assertEquals(4, t.unloadedDrivers().size());
        assertEquals("dam.sys", t.unloadedDrivers().get(0).name());
    }

    @Test
    public void dataBlocksFormTheKernelVirtualView() throws Exception {
        TriageDump t = dump.triage().orElseThrow();
        assertEquals(0x727, t.dataBlocks().size());
        DumpLayer layer = dump.memory();
        assertEquals(AddressSpace.KERNEL_VIRTUAL, layer.addressSpace());
        byte[] file = Files.readAllBytes(path);
        for (TriageDataBlock b : t.dataBlocks().subList(0, 50)) {
            int n = (int) Math.min(b.size(), 64);
            byte[] got = layer.readBytes(b.virtualAddress(), n);
            byte[] expected = java.util.Arrays.copyOfRange(file, (int) b.fileOffset(), (int) b.fileOffset() + n);
            assertArrayEquals("data block at 0x" + Long.toHexString(b.virtualAddress()), expected, got);
        }
        // the copy of the debugger data block sits at KdDebuggerDataBlock and carries its 'KDBG' tag
        byte[] tag = layer.readBytes(dump.header().kdDebuggerDataBlock() + 0x10, 4);
        assertEquals("KDBG", new String(tag, java.nio.charset.StandardCharsets.US_ASCII));
        // ... and its PsLoadedModuleList agrees with the header's
        long listHead = ByteBuffer.wrap(layer.readBytes(dump.header().kdDebuggerDataBlock() + 0x48, 8))
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(dump.header().psLoadedModuleList(), listHead);
    }

    @Test
    public void provenanceNamesTheFileAndTheGaps() {
        DumpLayer layer = dump.memory();
        TriageDataBlock first = dump.triage().orElseThrow().dataBlocks().get(0);
        PageProvenance p = layer.provenance(first.virtualAddress());
        assertEquals(new PageProvenance.Evidence(path.toString(), first.fileOffset()), p);
        List<PageProvenance> seen = new ArrayList<>();
        byte[] buf = new byte[32];
        int available = layer.read(0xfffff80000000000L, buf, 0, buf.length, (a, l, prov) -> seen.add(prov));
        assertEquals(0, available);
        assertEquals(1, seen.size());
        assertTrue(seen.get(0) instanceof PageProvenance.Missing m && m.reason().contains("not in triage dump"));
    }

    @Test
    public void crashingThreadAndProcess() {
        TriageDump t = dump.triage().orElseThrow();
        assertEquals(0xffffc08bde9e1640L, t.currentThread().orElseThrow());
        assertEquals(0xffffc08bdce94180L, t.currentProcess().orElseThrow());
        // the process copy is readable at its address; 19041 x64 keeps ImageFileName at 0x5a8
        byte[] name = dump.memory().readBytes(t.currentProcess().getAsLong() + 0x5a8, 6);
        assertEquals("System", new String(name, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    public void probeAcceptsAndExplains() {
        ProbeResult r = new CrashDumpFormat().probe(path);
        assertEquals(ProbeResult.CERTAIN, r.confidence());
        assertTrue(r.explanation(), r.explanation().contains("build 19041") && r.explanation().contains("triage"));
        ProbeResult m = new MinidumpFormat().probe(path);
        assertFalse(m.explanation(), m.accepts());
        assertTrue(m.explanation(), m.explanation().contains("MDMP"));
    }
}
