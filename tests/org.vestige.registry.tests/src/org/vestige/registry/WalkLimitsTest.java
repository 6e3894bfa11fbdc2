package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.vestige.registry.internal.LittleEndian;

/** Loops, shared cells and deep nesting end the walk of their branch with a problem, never a hang. */
public class WalkLimitsTest {

    private static List<HiveProblem> walk(Hive hive, long[] keys) {
        List<HiveProblem> problems = new ArrayList<>();
        WalkSummary s = hive.walk(new HiveVisitor() {
            @Override
            public void problem(HiveProblem p) {
                problems.add(p);
            }
        });
        keys[0] = s.keys();
        return problems;
    }

    @Test
    public void aSubkeyListPointingBackAtAnAncestorIsACycle() {
        KeySpec root = KeySpec.named("R");
        root.path("A\\B\\C");
        byte[] file = HiveWriter.write(root);
        Hive clean = Hive.of("clean", file);
        RegistryKey c = clean.requireKey("A\\B\\C");
        // C now claims the root's subkey list (which lists A) as its own
        LittleEndian.put32(file, (int) (4096 + c.cellOffset() + 4 + 0x14), 1);
        LittleEndian.put32(file, (int) (4096 + c.cellOffset() + 4 + 0x1C), clean.root().subkeyListOffset());
        long[] keys = new long[1];
        List<HiveProblem> problems = walk(Hive.of("loop", file), keys);
        assertEquals(4, keys[0]);
        HiveProblem loop = problems.stream().filter(p -> p.kind() == HiveProblem.Kind.CYCLE).findFirst().orElseThrow();
        assertEquals(clean.requireKey("A").cellOffset(), loop.cellOffset());
        assertEquals("A\\B\\C\\A", loop.keyPath());
    }

    @Test
    public void anIndexRootListingItselfIsACycle() {
        KeySpec root = KeySpec.named("R");
        for (int i = 0; i < 5; i++) {
            root.subkey("k" + i);
        }
        byte[] file = HiveWriter.write(root, HiveWriter.Options.defaults().withLeafCapacity(2));
        Hive clean = Hive.of("clean", file);
        long ri = clean.root().subkeyListOffset();
        // the ri's last entry now names the ri itself
        int count = LittleEndian.u16(file, (int) (4096 + ri + 4 + 2));
        LittleEndian.put32(file, (int) (4096 + ri + 4 + 4 + 4 * (count - 1)), ri);
        Hive hive = Hive.of("ri loop", file);
        List<HiveProblem> problems = new ArrayList<>();
        List<RegistryKey> subkeys = hive.root().subkeys(problems::add);
        assertEquals(4, subkeys.size());
        assertEquals(HiveProblem.Kind.CYCLE, problems.get(0).kind());
        assertEquals(ri, problems.get(0).cellOffset());
        assertEquals(HiveProblem.Kind.INCONSISTENT, problems.get(1).kind());
    }

    @Test
    public void nestingDeeperThanTheWindowsLimitIsCut() {
        KeySpec root = KeySpec.named("R");
        KeySpec at = root;
        for (int i = 0; i < Hive.MAX_DEPTH + 20; i++) {
            at = at.subkey("d" + i);
        }
        long[] keys = new long[1];
        List<HiveProblem> problems = walk(Hive.of("deep", HiveWriter.write(root)), keys);
        assertEquals(Hive.MAX_DEPTH + 1, keys[0]);
        assertEquals(1, problems.size());
        assertEquals(HiveProblem.Kind.LIMIT, problems.get(0).kind());
    }

    @Test
    public void aCountLargerThanItsCellReadsWhatFits() {
        KeySpec root = KeySpec.named("R");
        root.subkey("only").dword("a", 1).dword("b", 2);
        byte[] file = HiveWriter.write(root);
        Hive clean = Hive.of("clean", file);
        RegistryKey only = clean.requireKey("only");
        LittleEndian.put32(file, (int) (4096 + only.cellOffset() + 4 + 0x24), 0x7FFF_FFFF);
        Hive hive = Hive.of("count", file);
        List<HiveProblem> problems = new ArrayList<>();
        List<RegistryValue> values = hive.requireKey("only").values(problems::add);
        assertEquals(2, values.size());
        assertEquals(only.valueListOffset(), problems.get(0).cellOffset());
        assertTrue(problems.get(0).message().contains("does not fit"));
    }

    @Test
    public void stoppingEndsTheWalk() {
        Hive hive = Hive.of("h", HiveWriter.write(HiveWriterTest.sampleTree()));
        int[] seen = new int[1];
        WalkSummary s = hive.walk(new HiveVisitor() {
            @Override
            public boolean key(String path, RegistryKey key, int depth) {
                seen[0]++;
                return true;
            }

            @Override
            public boolean stopRequested() {
                return seen[0] >= 3;
            }
        });
        assertTrue(s.stopped());
        assertEquals(3, s.keys());
    }
}
