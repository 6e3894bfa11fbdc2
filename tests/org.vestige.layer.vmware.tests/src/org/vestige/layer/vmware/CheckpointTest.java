package org.vestige.layer.vmware;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The group/tag structure of checkpoint files, in every form a tag takes. */
public class CheckpointTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private CheckpointBuilder sample(int magic) {
        CheckpointBuilder b = new CheckpointBuilder(magic).headerVersion(0x1234);
        b.group("Checkpoint").u32("memSize", 4096).value("product", "Workstation".getBytes());
        CheckpointBuilder.Group cpu = b.group("cpu");
        cpu.u32("cpu:numVCPUs", 2);
        for (int c = 0; c < 2; c++) {
            cpu.u64("rip", 0xfffff80000001000L + c, c);
            for (int r = 0; r < 5; r++) {
                cpu.u64("CR64", 0x1000L * (r + 1) + c, c, r);
            }
        }
        cpu.value("triple", new byte[] {1, 2, 3}, 7, 8, 9);
        cpu.block("gpregs", bytes(128, 1), 5, 0);
        cpu.compressed("fpu", bytes(40, 2), 512, 0, 1);
        b.group("memory").u32("align_mask", 0xffff).u32("regionsCount", 0).value("empty", new byte[0]);
        return b;
    }

    @Test
    public void groupsAndTagsOfEveryFormAreRead() throws Exception {
        for (int magic : new int[] {Checkpoint.MAGIC, Checkpoint.MAGIC_V0, Checkpoint.MAGIC_PARTIAL,
                Checkpoint.MAGIC_RESTORED}) {
            Path f = tmp.newFile().toPath();
            CheckpointBuilder builder = sample(magic);
            Files.write(f, builder.build());
            Checkpoint c = Checkpoint.read(f);
            String m = "magic 0x" + Integer.toHexString(magic);
            assertEquals(m, magic, c.magic());
            assertEquals(m, 0x1234, c.headerVersion());
            assertEquals(m, magic & 0xf, c.formatVersion());
            assertEquals(m, List.of("Checkpoint", "cpu", "memory"), c.groups().stream().map(CheckpointGroup::name).toList());
            assertEquals(m, builder.offsetOf("cpu"), c.group("cpu").orElseThrow().offset());

            CheckpointGroup cpu = c.group("cpu").orElseThrow();
            assertEquals(m, 1 + 2 * 6 + 3, cpu.tags().size());
            assertEquals(m, 2, cpu.first("cpu:numVCPUs").orElseThrow().longValue());
            assertEquals(m, 0x4001L, cpu.tag("CR64", 1, 3).orElseThrow().longValue());
            assertEquals(m, 0x3000L, cpu.tag("CR64", 0, 2).orElseThrow().longValue());
            assertEquals(m, 0xfffff80000001001L, cpu.tag("rip", 1).orElseThrow().longValue());
            CheckpointTag triple = cpu.first("triple").orElseThrow();
            assertEquals(m, List.of(7, 8, 9), triple.indices());
            assertEquals(m, "triple[7][8][9]", triple.label());
            assertArrayEquals(m, new byte[] {1, 2, 3}, triple.value());

            CheckpointTag gpregs = cpu.tag("gpregs", 0).orElseThrow();
            assertEquals(m, CheckpointTag.Kind.BLOCK, gpregs.kind());
            assertEquals(m, 128, gpregs.diskSize());
            assertEquals(m, 128, gpregs.memorySize());
            assertArrayEquals(m, bytes(128, 1), c.readBlock(gpregs, 1024));
            CheckpointTag fpu = cpu.tag("fpu", 1).orElseThrow();
            assertEquals(m, CheckpointTag.Kind.COMPRESSED_BLOCK, fpu.kind());
            assertEquals(m, 40, fpu.diskSize());
            assertEquals(m, 512, fpu.memorySize());
            assertArrayEquals(m, bytes(40, 2), c.readBlock(fpu, 1024));
            // the tags after the blocks prove the blocks' sizes and padding were stepped over exactly
            CheckpointGroup memory = c.group("memory").orElseThrow();
            assertEquals(m, 0xffff, memory.first("align_mask").orElseThrow().longValue());
            assertEquals(m, 0, memory.first("empty").orElseThrow().value().length);
            assertEquals(m, 4096, c.group("Checkpoint").orElseThrow().first("memSize").orElseThrow().longValue());
        }
    }

    @Test
    public void onlyTheGroupsAskedForAreRead() throws Exception {
        Path f = tmp.newFile().toPath();
        Files.write(f, sample(Checkpoint.MAGIC).build());
        Checkpoint c = Checkpoint.read(f, Set.of("memory"));
        assertFalse(c.group("cpu").orElseThrow().read());
        assertTrue(c.group("cpu").orElseThrow().tags().isEmpty());
        assertTrue(c.group("memory").orElseThrow().read());
        assertEquals(3, c.group("memory").orElseThrow().tags().size());
    }

    @Test
    public void version0BlocksCarry32BitSizes() throws Exception {
        Path wide = tmp.newFile().toPath();
        Path narrow = tmp.newFile().toPath();
        Files.write(wide, sample(Checkpoint.MAGIC).build());
        Files.write(narrow, sample(Checkpoint.MAGIC_V0).build());
        // the same tags, 2 x 4 bytes shorter per block in version 0
        assertEquals(Files.size(wide) - 2 * 8, Files.size(narrow));
        assertFalse(Checkpoint.wideBlockSizes(Checkpoint.MAGIC_V0));
        assertTrue(Checkpoint.wideBlockSizes(Checkpoint.MAGIC));
    }

    @Test
    public void aNumberIsReadLittleEndianWhateverItsWidth() {
        CheckpointTag t = new CheckpointTag("x", List.of(), 0, CheckpointTag.Kind.VALUE, 2, 3, 3,
                new byte[] {0x01, 0x02, (byte) 0x83});
        assertEquals(0x830201L, t.longValue());
        assertTrue(t.isNumber());
        CheckpointTag empty = new CheckpointTag("x", List.of(), 0, CheckpointTag.Kind.VALUE, 2, 0, 0, new byte[0]);
        assertFalse(empty.isNumber());
    }
}
