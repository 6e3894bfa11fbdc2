package org.vestige.layer.vmware;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.FormatHandle;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.raw.RawFormat;

/** Region maps, memory inside the state file, opening from either file, and how the raw format steps aside. */
public class VmwareFormatTest {

    private static final int PAGE = 4096;
    /** guest pages 0-15 from memory page 0, a hole at 16-31, guest pages 32-39 from memory page 16 */
    private static final long[][] REGIONS = {{0, 0, 16}, {32, 16, 8}};

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] memory(int pages, int seed) {
        byte[] m = new byte[pages * PAGE];
        new Random(seed).nextBytes(m);
        return m;
    }

    private static CheckpointBuilder suspended(long[][] regions) {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("Checkpoint").u32("memSize", 1);
        CheckpointBuilder.Group cpu = b.group("cpu").u32("cpu:numVCPUs", 2);
        cpu.u64("CR64", 0x80050033L, 0, 0).u64("CR64", 0x1ad002L, 0, 3).u64("CR64", 0x6f8L, 0, 4);
        byte[] cr = new byte[72];
        System.arraycopy(CheckpointBuilder.le(0x7fe3000L, 8), 0, cr, 24, 8);
        cpu.block("CR64", cr, 3, 1);
        CheckpointBuilder.Group mem = b.group("memory").u32("align_mask", 0xffff);
        if (regions != null) {
            CheckpointBuilder.regions(mem, regions);
        }
        b.group("Snapshot").value("note", "x".getBytes());
        return b;
    }

    /** Writes vm.vmem and vm.vmss into a fresh folder. */
    private Path[] pair(byte[] vmem, long[][] regions) throws Exception {
        Path dir = tmp.newFolder().toPath();
        Path m = dir.resolve("vm.vmem");
        Files.write(m, vmem);
        Path s = suspended(regions).writeTo(dir.resolve("vm.vmss"));
        return new Path[] {m, s};
    }

    private static List<PageProvenance> runs(Layer l, long address, int length, byte[] into) {
        List<PageProvenance> p = new ArrayList<>();
        l.read(address, into, 0, length, (a, n, prov) -> p.add(prov));
        return p;
    }

    @Test
    public void guestPagesAreReadThroughTheRegionMapAndTheHoleIsMissing() throws Exception {
        byte[] vmem = memory(24, 1);
        Path[] f = pair(vmem, REGIONS);
        try (OpenedEvidence e = new VmwareFormat().open(f[0])) {
            Layer l = e.physical();
            assertEquals(40L * PAGE, l.size());
            byte[] page = new byte[PAGE];
            for (int g = 0; g < 40; g++) {
                List<PageProvenance> p = runs(l, (long) g * PAGE, PAGE, page);
                assertEquals("guest page " + g, 1, p.size());
                if (g >= 16 && g < 32) {
                    assertFalse("guest page " + g, p.get(0).isAvailable());
                    assertTrue(((PageProvenance.Missing) p.get(0)).reason(), ((PageProvenance.Missing) p.get(0))
                            .reason().contains("hole"));
                    assertArrayEquals(new byte[PAGE], page);
                } else {
                    int memPage = g < 16 ? g : g - 16;
                    assertArrayEquals("guest page " + g, Arrays.copyOfRange(vmem, memPage * PAGE, (memPage + 1) * PAGE),
                            page);
                    assertEquals(new PageProvenance.Evidence("vm.vmem", (long) memPage * PAGE), p.get(0));
                    assertEquals(new PageProvenance.Evidence("vm.vmem", (long) memPage * PAGE + 5),
                            l.provenance((long) g * PAGE + 5));
                }
            }
            // a read across both edges of the hole reports three runs, in address order
            byte[] across = new byte[18 * PAGE];
            List<long[]> at = new ArrayList<>();
            List<PageProvenance> prov = new ArrayList<>();
            int got = l.read(15L * PAGE, across, 0, across.length, (a, n, p) -> {
                at.add(new long[] {a, n});
                prov.add(p);
            });
            assertEquals(2 * PAGE, got);
            assertEquals(3, at.size());
            assertArrayEquals(new long[] {15L * PAGE, PAGE}, at.get(0));
            assertArrayEquals(new long[] {16L * PAGE, 16 * PAGE}, at.get(1));
            assertArrayEquals(new long[] {32L * PAGE, PAGE}, at.get(2));
            assertEquals(new PageProvenance.Evidence("vm.vmem", 16L * PAGE), prov.get(2));
            assertArrayEquals(Arrays.copyOfRange(vmem, 16 * PAGE, 17 * PAGE), Arrays.copyOfRange(across, 17 * PAGE,
                    18 * PAGE));
            // past the last region
            PageProvenance beyond = l.provenance(40L * PAGE);
            assertTrue(beyond.toString(), beyond instanceof PageProvenance.Missing m && m.reason().contains("beyond"));

            VmwareState s = VmwareFormat.state(e);
            assertEquals(List.of(new MemoryRegion(0, 0, 16), new MemoryRegion(32, 16, 8)), s.regions());
            assertEquals(2, s.vcpus());
            assertEquals(0x1ad002L, (long) s.cr3().get(0));
            assertEquals(0x7fe3000L, (long) s.cr3().get(1));
            assertEquals(0x1ad000L, s.directoryTableBaseHint().getAsLong());
            assertEquals("2", e.properties().get("memory regions"));
            assertEquals("0x1ad002", e.properties().get("CR3 (vCPU 0)"));
            assertEquals("0x1ad000", e.properties().get("DirectoryTableBase"));
            assertEquals("1 MiB", e.properties().get("configured memory"));
            assertTrue(e.properties().get("checkpoint magic"), e.properties().get("checkpoint magic")
                    .startsWith("0xbed2bed2"));
        }
    }

    @Test
    public void eitherFileOpensTheSameMemory() throws Exception {
        byte[] vmem = memory(24, 2);
        Path[] f = pair(vmem, REGIONS);
        byte[] a = new byte[40 * PAGE];
        byte[] b = new byte[40 * PAGE];
        try (OpenedEvidence fromVmem = new VmwareFormat().open(f[0]);
                OpenedEvidence fromState = new VmwareFormat().open(f[1])) {
            assertEquals(fromVmem.physical().read(0, a, 0, a.length), fromState.physical().read(0, b, 0, b.length));
            assertArrayEquals(a, b);
            assertTrue(fromVmem.properties().get("companion"), fromVmem.properties().get("companion").startsWith(
                    "vm.vmss is read too"));
            assertTrue(fromState.properties().get("companion"), fromState.properties().get("companion").startsWith(
                    "vm.vmem is read too"));
            assertEquals("physical (VMware: vm.vmem + vm.vmss)", fromState.physical().name());
        }
        ProbeResult p = new VmwareFormat().probe(f[1]);
        assertEquals(ProbeResult.CERTAIN, p.confidence());
        assertEquals("VMware suspended state (magic 0xbed2bed2, checkpoint) with 2 memory regions, memory in vm.vmem",
                p.explanation());
        ProbeResult q = new VmwareFormat().probe(f[0]);
        assertEquals(ProbeResult.CERTAIN, q.confidence());
        assertEquals("VMware memory with its suspended state vm.vmss beside it: 2 memory regions, memory in vm.vmem",
                q.explanation());
    }

    @Test
    public void withoutRegionTagsTheVmemIsLinear() throws Exception {
        byte[] vmem = memory(5, 3);
        Path[] f = pair(vmem, null);
        try (OpenedEvidence e = new VmwareFormat().open(f[1])) {
            assertEquals(vmem.length, e.physical().size());
            assertArrayEquals(vmem, e.physical().readBytes(0, vmem.length));
            assertTrue(e.properties().get("memory regions").startsWith("none"));
            assertFalse(e.physical().provenance(vmem.length).isAvailable());
        }
        assertTrue(new VmwareFormat().probe(f[1]).explanation().contains("linear memory (no region map)"));
    }

    @Test
    public void aSnapshotHoldingItsMemoryIsReadFromTheMemoryBlock() throws Exception {
        byte[] memory = memory(24, 4);
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("cpu").u32("cpu:numVCPUs", 1).u64("CR64", 0x3000, 0, 3);
        CheckpointBuilder.Group mem = b.group("memory");
        CheckpointBuilder.regions(mem, REGIONS);
        mem.block("Memory", memory, 0x1ff, 0, 0);
        b.group("after").u32("marker", 7);
        Path dir = tmp.newFolder().toPath();
        Path vmsn = b.writeTo(dir.resolve("vm-Snapshot1.vmsn"));
        long dataOffset = Checkpoint.read(vmsn).group("memory").orElseThrow().tag("Memory", 0, 0).orElseThrow()
                .dataOffset();

        ProbeResult p = new VmwareFormat().probe(vmsn);
        assertEquals(p.explanation(), ProbeResult.CERTAIN, p.confidence());
        assertEquals("VMware snapshot state (magic 0xbed2bed2, checkpoint) with 2 memory regions, memory inside "
                + "vm-Snapshot1.vmsn (" + memory.length + " bytes at offset 0x" + Long.toHexString(dataOffset) + ")",
                p.explanation());
        try (OpenedEvidence e = new VmwareFormat().open(vmsn)) {
            Layer l = e.physical();
            assertEquals("physical (VMware: vm-Snapshot1.vmsn)", l.name());
            assertArrayEquals(Arrays.copyOfRange(memory, 0, 16 * PAGE), l.readBytes(0, 16 * PAGE));
            assertArrayEquals(Arrays.copyOfRange(memory, 16 * PAGE, 24 * PAGE), l.readBytes(32L * PAGE, 8 * PAGE));
            assertEquals(new PageProvenance.Evidence("vm-Snapshot1.vmsn", dataOffset + 17L * PAGE),
                    l.provenance(33L * PAGE));
            assertFalse(l.provenance(20L * PAGE).isAvailable());
            assertTrue(VmwareFormat.state(e).embeddedMemory());
            assertNull(e.properties().get("companion"));
            assertEquals("0x3000", e.properties().get("DirectoryTableBase"));
        }
    }

    @Test
    public void aRegionMapLongerThanTheVmemReportsTheMissingPages() throws Exception {
        byte[] vmem = memory(20, 5); // the map wants 24 pages
        Path[] f = pair(vmem, REGIONS);
        try (OpenedEvidence e = new VmwareFormat().open(f[1])) {
            assertTrue(e.properties().get("warnings"), e.properties().get("warnings").contains("4 pages past the end"));
            assertTrue(e.physical().provenance(35L * PAGE).isAvailable());
            PageProvenance p = e.physical().provenance(36L * PAGE);
            assertTrue(p.toString(), p instanceof PageProvenance.Missing m && m.reason().contains("vm.vmem"));
        }
    }

    @Test
    public void aVmemAloneIsLeftToTheRawFormat() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Path alone = dir.resolve("lonely.vmem");
        Files.write(alone, memory(4, 6));
        ProbeResult p = new VmwareFormat().probe(alone);
        assertFalse(p.accepts());
        assertTrue(p.explanation(), p.explanation().contains("no lonely.vmss or .vmsn beside lonely.vmem"));
        try {
            new VmwareFormat().open(alone);
            fail("opened a .vmem without its state file");
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("lonely.vmem") && e.getMessage().contains("raw"));
        }
        try (EvidenceCase c = open(alone)) {
            assertEquals("raw", c.evidence().formatId());
        }
        Path[] f = pair(memory(24, 7), REGIONS);
        for (Path named : f) {
            try (EvidenceCase c = open(named)) {
                assertEquals(named.toString(), "vmware", c.evidence().formatId());
                assertEquals(REGIONS.length, VmwareFormat.state(c.evidence()).regions().size());
            }
        }
    }

    private static EvidenceCase open(Path file) throws EvidenceException {
        return EvidenceCase.open(file, List.of(), List.of(handle("raw", new RawFormat()), handle("vmware",
                new VmwareFormat())), false, null);
    }

    private static FormatHandle handle(String id, EvidenceFormat format) {
        return new FormatHandle() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String name() {
                return id;
            }

            @Override
            public EvidenceFormat format() {
                return format;
            }
        };
    }
}
