package org.vestige.layer.compressed;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.vestige.layer.compressed.internal.BTree;
import org.vestige.layer.compressed.internal.Memory;
import org.vestige.layer.compressed.internal.Unreadable;

/** The store's B+trees over hand-laid nodes: lookups, walks, and damage that stays local. */
public class BTreeTest {

    private static final long NODES = 0xFFFFA00000000000L;
    private PageMemory memory;
    private long root;
    private long[] leaves;
    private long next;

    /** Three leaves of 100 keys each (key 3i → value i + 7) under one internal node. */
    @Before
    public void layOut() {
        memory = new PageMemory();
        next = NODES;
        leaves = new long[3];
        for (int l = 0; l < 3; l++) {
            long[] keys = new long[100];
            long[] values = new long[100];
            for (int i = 0; i < 100; i++) {
                int k = l * 100 + i;
                keys[i] = 3L * k + 0xF0000000L; // large unsigned keys
                values[i] = k + 7;
            }
            leaves[l] = leaf(keys, values);
        }
        root = internal(leaves[0], new long[] {3L * 100 + 0xF0000000L, 3L * 200 + 0xF0000000L},
                new long[] {leaves[1], leaves[2]});
    }

    private long leaf(long[] keys, long[] values) {
        long at = next;
        next += 0x1000;
        memory.putShort(at, keys.length);
        memory.putByte(at + 3, 1);
        for (int i = 0; i < keys.length; i++) {
            memory.putInt(at + 0x10 + i * 8, keys[i]);
            memory.putInt(at + 0x14 + i * 8, values[i]);
        }
        return at;
    }

    private long internal(long left, long[] keys, long[] children) {
        long at = next;
        next += 0x1000;
        memory.putShort(at, keys.length);
        memory.putByte(at + 2, 1);
        memory.putLong(at + 8, left);
        for (int i = 0; i < keys.length; i++) {
            memory.putInt(at + 0x10 + i * 16, keys[i]);
            memory.putLong(at + 0x18 + i * 16, children[i]);
        }
        return at;
    }

    @Test
    public void everyKeyIsFoundAndNoOtherOne() {
        BTree tree = new BTree(new Memory(memory), "test tree");
        for (int k = 0; k < 300; k++) {
            assertEquals(k + 7, tree.find(root, (int) (3L * k + 0xF0000000L)));
            assertEquals(-1, tree.find(root, (int) (3L * k + 1 + 0xF0000000L)));
        }
        assertEquals(-1, tree.find(root, 0));
        assertEquals(-1, tree.find(root, 0xFFFFFFFF));
    }

    @Test
    public void aDamagedLeafFailsOnlyItsOwnKeys() {
        memory.putShort(leaves[1], 0x300); // more entries than a page holds
        BTree tree = new BTree(new Memory(memory), "test tree");
        assertEquals(7, tree.find(root, 0xF0000000));
        assertEquals(207, tree.find(root, (int) (3L * 200 + 0xF0000000L)));
        try {
            tree.find(root, (int) (3L * 150 + 0xF0000000L));
            fail();
        } catch (Unreadable e) {
            assertTrue(e.getMessage(), e.getMessage().contains("0x" + Long.toHexString(leaves[1]))
                    && e.getMessage().contains("768 entries"));
        }
        List<Long> keys = new ArrayList<>();
        List<String> damage = new ArrayList<>();
        assertEquals(200, tree.walk(root, Long.MAX_VALUE, (k, v) -> keys.add(k), damage::add));
        assertEquals(1, damage.size());
        for (int i = 1; i < keys.size(); i++) {
            assertTrue(keys.get(i - 1) < keys.get(i));
        }
    }

    @Test
    public void keysOutOfOrderAndMissingNodesAreNamed() {
        memory.putInt(leaves[2] + 0x10 + 5 * 8, 1);
        memory.remove(leaves[0]);
        BTree tree = new BTree(new Memory(memory), "test tree");
        try {
            tree.find(root, (int) (3L * 250 + 0xF0000000L));
            fail();
        } catch (Unreadable e) {
            assertTrue(e.getMessage(), e.getMessage().contains("out of order at entry 5"));
        }
        try {
            tree.find(root, 0xF0000003);
            fail();
        } catch (Unreadable e) {
            assertTrue(e.getMessage(), e.getMessage().contains("cannot be read: not mapped"));
        }
        assertEquals(107, tree.find(root, (int) (3L * 100 + 0xF0000000L)));
    }

    @Test
    public void aCycleEndsTheLookupWithAReason() {
        // the middle child points back at the root
        memory.putLong(root + 0x18, root);
        BTree tree = new BTree(new Memory(memory), "test tree");
        try {
            tree.find(root, (int) (3L * 150 + 0xF0000000L));
            fail();
        } catch (Unreadable e) {
            assertTrue(e.getMessage(), e.getMessage().contains("deeper than"));
        }
        List<String> damage = new ArrayList<>();
        long n = tree.walk(root, Long.MAX_VALUE, (k, v) -> { }, damage::add);
        assertEquals(200, n);
        assertTrue(damage.toString(), damage.get(0).contains("reached twice"));
    }
}
