package org.vestige.plugin.profiles.pdb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.Test;
import org.vestige.plugin.profiles.PdbIsf;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Damaged PDBs are refused with an error naming the file, the stream and the offset, in bounded time:
 * the damaged testdata file, truncations, cyclic type references, absurd sizes and counts, block
 * indices outside the file.
 */
public class PdbDamageTest {

    private static final int LF_MODIFIER = TypeRecord.LF_MODIFIER;
    private static final int LF_POINTER = TypeRecord.LF_POINTER;
    private static final int LF_FIELDLIST = TypeRecord.LF_FIELDLIST;
    private static final int LF_STRUCTURE = TypeRecord.LF_STRUCTURE;
    /** Member leaves (cvinfo.h), which the reader keeps to itself. */
    private static final int LF_MEMBER = 0x150d;
    private static final int LF_INDEX = 0x1404;
    private static final int T_INT4 = 0x74;

    private static String refused(byte[] data, String name) throws Exception {
        try {
            PdbFile pdb = PdbFile.read(data, name);
            PdbIsf.convert(pdb, name);
            fail(name + " was read");
            return null;
        } catch (PdbException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(name + ": "));
            return e.getMessage();
        }
    }

    @Test(timeout = 10_000)
    public void theDamagedTestdataPdbIsRefusedNamingTheBlockMap() throws Exception {
        Path fuzzed = PdbFileTest.folder().resolve("fuzzed.pdb");
        String m = refused(Files.readAllBytes(fuzzed), "fuzzed.pdb");
        assertEquals("fuzzed.pdb: the block map is block 1357, outside the file's 339 blocks", m);
    }

    @Test(timeout = 30_000)
    public void truncatedPdbsAreRefusedAtEveryCut() throws Exception {
        byte[] whole = Files.readAllBytes(PdbFileTest.folder().resolve("xcpt4_x64.pdb"));
        for (int cut : new int[] {0, 20, 40, 4096, whole.length / 4, whole.length / 2, whole.length - 4096,
            whole.length - 1}) {
            String m = refused(Arrays.copyOf(whole, cut), "cut-" + cut);
            assertTrue(m, m.contains("truncated") || m.contains("not an MSF 7.0"));
        }
    }

    @Test
    public void aSyntheticPdbReadsBack() throws Exception {
        PdbBuilder b = new PdbBuilder();
        int fields = b.type(LF_FIELDLIST, PdbBuilder.le((short) LF_MEMBER, (short) 3, T_INT4, (short) 8, "Value"));
        int def = b.type(LF_STRUCTURE, PdbBuilder.le((short) 1, (short) 0, fields, 0, 0, (short) 16, "_THING"));
        int fwd = b.type(LF_STRUCTURE, PdbBuilder.le((short) 0, (short) 0x80, 0, 0, 0, (short) 0, "_THING"));
        int ptr = b.type(LF_POINTER, PdbBuilder.le(fwd, 0x0c | (8 << 13)));
        int holder = b.type(LF_FIELDLIST, PdbBuilder.le((short) LF_MEMBER, (short) 3, ptr, (short) 0, "Thing"));
        b.type(LF_STRUCTURE, PdbBuilder.le((short) 1, (short) 0, holder, 0, 0, (short) 8, "_HOLDER"));
        PdbFile pdb = PdbFile.read(b.build(), "synthetic.pdb");
        assertEquals("{9AC8F93C-E9BE-44B5-90AA-F2DFA2BEA7A3}", pdb.info().guidText());
        assertEquals(8, pdb.types().sizeOf(ptr));
        assertEquals(def, pdb.types().definition(fwd));
        ObjectNode isf = PdbIsf.convert(pdb, "synthetic.pdb");
        assertEquals(8, isf.at("/user_types/_THING/fields/Value/offset").asInt());
        assertEquals("_THING", isf.at("/user_types/_HOLDER/fields/Thing/type/subtype/name").asText());
        assertEquals(8, isf.at("/base_types/pointer/size").asInt());
        assertTrue(IsfSchemaRules.check(isf).isEmpty());
    }

    @Test(timeout = 10_000)
    public void aCyclicModifierChainIsAnErrorNotAHang() throws Exception {
        PdbBuilder b = new PdbBuilder();
        // 0x1000 modifies 0x1001, which modifies 0x1000; a member of that type
        b.type(LF_MODIFIER, PdbBuilder.le(0x1001, (short) 1));
        b.type(LF_MODIFIER, PdbBuilder.le(0x1000, (short) 1));
        int fields = b.type(LF_FIELDLIST, PdbBuilder.le((short) LF_MEMBER, (short) 3, 0x1000, (short) 0, "Loop"));
        b.type(LF_STRUCTURE, PdbBuilder.le((short) 1, (short) 0, fields, 0, 0, (short) 4, "_LOOP"));
        String m = refused(b.build(), "cyclic.pdb");
        assertTrue(m, m.contains("loop or are more than 64 deep"));
    }

    @Test(timeout = 10_000)
    public void aFieldListContinuingIntoItselfIsAnError() throws Exception {
        PdbBuilder b = new PdbBuilder();
        int fields = b.type(LF_FIELDLIST, PdbBuilder.le((short) LF_MEMBER, (short) 3, T_INT4, (short) 0, "A",
                (byte) 0xf2, (byte) 0xf1, (short) LF_INDEX, (short) 0, 0x1000));
        b.type(LF_STRUCTURE, PdbBuilder.le((short) 1, (short) 0, fields, 0, 0, (short) 4, "_SELF"));
        String m = refused(b.build(), "self.pdb");
        assertEquals("self.pdb: TPI stream: field list 0x1000 continues into itself at 0x1000", m);
    }

    @Test(timeout = 10_000)
    public void absurdCountsAndBlocksOutsideTheFileAreRefused() throws Exception {
        byte[] good = new PdbBuilder().build();
        ByteBuffer dir = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        dir.putInt(2 * PdbBuilder.BLOCK, 0x7fffffff);
        assertTrue(refused(dir.array(), "streams.pdb").startsWith("streams.pdb: MSF stream directory: the stream "
                + "count is 2147483647, more than"));

        ByteBuffer size = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        size.putInt(2 * PdbBuilder.BLOCK + 4 * 3, 0x7ffffff0); // stream 2 (TPI) 2 GiB
        assertTrue(refused(size.array(), "size.pdb").contains("stream 2 is 2147483632 bytes, more than the file's"));

        ByteBuffer block = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        block.putInt(2 * PdbBuilder.BLOCK + 4 * 5, 99999); // the info stream's first block
        assertEquals("block.pdb: stream 1's block 0 is block 99999, outside the file's " + good.length
                / PdbBuilder.BLOCK + " blocks", refused(block.array(), "block.pdb"));

        ByteBuffer blocks = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        blocks.putInt(32 + 8, 1 << 30);
        assertTrue(refused(blocks.array(), "count.pdb").contains("truncated"));

        ByteBuffer tpi = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        tpi.putInt(4 * PdbBuilder.BLOCK + 12, 0x7fffffff); // TPI end index
        assertTrue(refused(tpi.array(), "tpi.pdb").startsWith("tpi.pdb: TPI stream: type indices 0x1000–0x7fffffff"));
    }
}
