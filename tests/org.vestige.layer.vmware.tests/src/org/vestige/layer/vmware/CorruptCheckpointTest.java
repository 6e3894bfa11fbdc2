package org.vestige.layer.vmware;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;

/** Truncated and corrupt state files are refused with the file, the group, the tag and the offset named. */
public class CorruptCheckpointTest {

    private static final int PAGE = 4096;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static CheckpointBuilder snapshot(byte[] memory) {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("cpu").u32("cpu:numVCPUs", 1).u64("CR64", 0x1ad000, 0, 3).block("gpregs", new byte[128], 2, 0);
        CheckpointBuilder.Group mem = b.group("memory");
        CheckpointBuilder.regions(mem, new long[][] {{0, 0, 2}, {8, 2, 2}});
        mem.block("Memory", memory, 16, 0, 0);
        return b;
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path f = tmp.getRoot().toPath().resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private String refused(Path f) {
        try (OpenedEvidence e = new VmwareFormat().open(f)) {
            fail("opened " + f + ": " + e.properties());
            return null;
        } catch (EvidenceException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(f.toString() + ": "));
            ProbeResult p = new VmwareFormat().probe(f);
            assertTrue(p.explanation(), p.confidence() < ProbeResult.CERTAIN);
            return e.getMessage();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void aTruncatedMemoryBlockNamesTheGroupTagAndOffset() throws Exception {
        byte[] whole = snapshot(new byte[4 * PAGE]).build();
        long tagOffset = Checkpoint.read(write("whole.vmsn", whole)).group("memory").orElseThrow().tag("Memory", 0, 0)
                .orElseThrow().offset();
        Path f = write("cut.vmsn", Arrays.copyOf(whole, whole.length - 2 - PAGE));
        String m = refused(f);
        assertTrue(m, m.contains("truncated at group 'memory', tag 'Memory' at offset 0x" + Long.toHexString(tagOffset)
                + ": its block of " + 4 * PAGE + " bytes"));
        assertTrue(m, m.contains("runs past the end of the file"));
    }

    @Test
    public void aTruncatedGroupTableIsNamed() throws Exception {
        byte[] whole = snapshot(new byte[4 * PAGE]).build();
        String m = refused(write("table.vmss", Arrays.copyOf(whole, 12 + 80)));
        assertTrue(m, m.contains("truncated: the group table of 2 entries ends at 0xac"));
        m = refused(write("short.vmss", Arrays.copyOf(whole, 7)));
        assertTrue(m, m.contains("shorter than the 12-byte checkpoint header"));
    }

    @Test
    public void impossibleCountsAreRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] whole = snapshot(new byte[4 * PAGE]).build();
        byte[] groups = whole.clone();
        ByteBuffer.wrap(groups).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7fffffff);
        assertTrue(refused(write("groups.vmsn", groups)).contains("corrupt header at offset 0x8: 2147483647 groups"));

        CheckpointBuilder b = new CheckpointBuilder();
        b.group("memory").u32("regionsCount", 5_000_000);
        String m = refused(write("regions.vmss", b.build()));
        assertTrue(m, m.contains("group 'memory', tag 'regionsCount' at offset 0x") && m.contains("5000000 regions"));

        b = new CheckpointBuilder();
        b.group("memory").raw(new byte[] {(byte) 63, 6, 'M', 'e', 'm', 'o', 'r', 'y', -1, -1, -1, -1, -1, -1, -1, 0x7f,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        m = refused(write("huge.vmsn", b.build()));
        assertTrue(m, m.contains("group 'memory', tag 'Memory' at offset 0x5c") && m.contains("runs past the end"));
    }

    @Test
    public void aGroupOutsideTheFileIsNamed() throws Exception {
        byte[] bytes = snapshot(new byte[4 * PAGE]).build();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(12 + 80 + 64, 1L << 50);
        String m = refused(write("far.vmsn", bytes));
        assertTrue(m, m.contains("corrupt group table: group 'memory' (entry 1 at offset 0x5c) places its tags at "
                + "0x4000000000000"));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(12 + 80 + 64, 0x20);
        m = refused(write("inside.vmsn", bytes));
        assertTrue(m, m.contains("corrupt group table: group 'memory' (entry 1 at offset 0x5c) places its tags at 0x20,"
                + " outside the file's 0xac–"));
        byte[] whole = snapshot(new byte[4 * PAGE]).build();
        long memoryTags = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getLong(12 + 80 + 64);
        m = refused(write("cut.vmss", Arrays.copyOf(whole, (int) memoryTags)));
        assertTrue(m, m.contains("truncated: group 'memory' (entry 1 at offset 0x5c) starts its tags at 0x"
                + Long.toHexString(memoryTags) + ", past the end of the file (" + memoryTags + " bytes)"));
    }

    @Test
    public void aBadTagIsNamedWithItsGroupAndOffset() throws Exception {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("memory").u32("align_mask", 1).raw(new byte[] {5, 0});
        String m = refused(write("noname.vmss", b.build()));
        assertTrue(m, m.contains("corrupt group 'memory', tag 2 at offset 0x6c: flags 0x5 but an empty name"));

        b = new CheckpointBuilder();
        b.group("memory").raw(new byte[] {4, 3, 'a', 0, 'c', 1, 2, 3, 4});
        m = refused(write("binary.vmss", b.build()));
        assertTrue(m, m.contains("group 'memory', tag 1 at offset 0x5c: the name is not text"));
    }

    @Test
    public void incompleteOrOverlappingRegionsAreNamed() throws Exception {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("memory").u32("regionsCount", 2).u32("regionPPN", 0, 0).u32("regionPageNum", 0, 0).u32("regionSize", 4, 0)
                .u32("regionPageNum", 4, 1).u32("regionSize", 4, 1).block("Memory", new byte[8 * PAGE], 0, 0, 0);
        String m = refused(write("missing.vmsn", b.build()));
        assertTrue(m, m.contains("tag 'regionPPN[1]' is missing, but the group describes region 1"));

        b = new CheckpointBuilder();
        CheckpointBuilder.Group g = b.group("memory");
        CheckpointBuilder.regions(g, new long[][] {{0, 0, 4}, {2, 4, 4}});
        g.block("Memory", new byte[8 * PAGE], 0, 0, 0);
        m = refused(write("overlap.vmsn", b.build()));
        assertTrue(m, m.contains("region 1 (tag 'regionPPN[1]' at offset 0x") && m.contains("inside region 0"));
    }

    @Test
    public void compressedMemoryWithoutAVmemIsRefusedWithTheReason() throws Exception {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("memory").compressed("Memory", new byte[100], 8 * PAGE, 0, 0, 0);
        String m = refused(write("packed.vmsn", b.build()));
        assertTrue(m, m.contains("tag 'Memory[0][0]'") && m.contains("stored compressed (100 bytes in the file for "
                + 8 * PAGE + " bytes of memory)"));
    }

    @Test
    public void aStateFileWithoutMemoryOrVmemSaysSo() throws Exception {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("cpu").u32("cpu:numVCPUs", 1);
        assertTrue(refused(write("nomem.vmss", b.build())).contains("has no 'memory' group (groups: cpu)"));
        b = new CheckpointBuilder();
        b.group("memory").u32("align_mask", 1);
        assertTrue(refused(write("novmem.vmss", b.build())).contains("no novmem.vmem is beside it"));
    }

    /**
     * Every truncation and two thousand random byte changes either open (the change hit a value nothing
     * checks) or are refused with the file named: never another exception, never a hang.
     */
    @Test(timeout = 120_000)
    public void mutatedFilesOpenOrAreRefusedNeverWorse() throws Exception {
        byte[] memory = new byte[4 * PAGE];
        new Random(9).nextBytes(memory);
        byte[] whole = snapshot(memory).build();
        int headerEnd = whole.length - memory.length;
        Path f = tmp.getRoot().toPath().resolve("m.vmsn");
        for (int len = 0; len < whole.length; len += len < headerEnd + 64 ? 1 : 509) {
            Files.write(f, Arrays.copyOf(whole, len));
            check(f);
        }
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] b = whole.clone();
            int changes = 1 + r.nextInt(4);
            for (int k = 0; k < changes; k++) {
                int at = r.nextInt(headerEnd + 32);
                b[at] = switch (r.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> (byte) 0xff;
                    case 2 -> (byte) (b[at] ^ (1 << r.nextInt(8)));
                    default -> (byte) r.nextInt(256);
                };
            }
            Files.write(f, b);
            check(f);
        }
    }

    private static void check(Path f) throws Exception {
        ProbeResult p = new VmwareFormat().probe(f);
        try (OpenedEvidence e = new VmwareFormat().open(f)) {
            byte[] buf = new byte[3 * PAGE];
            e.physical().read(0, buf, 0, buf.length);
            e.physical().read(e.physical().size() - PAGE, buf, 0, buf.length);
            assertTrue(p.explanation(), p.accepts());
        } catch (EvidenceException x) {
            assertTrue(x.getMessage(), x.getMessage().startsWith(f + ": "));
        }
    }
}
