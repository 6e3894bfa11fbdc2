package org.vestige.layer.compressed.internal;

import static org.vestige.layer.compressed.internal.Memory.hex;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.core.layer.LittleEndian;

/**
 * The store's B+trees (KeyToStoreTree, each store's PagesTree): every node one 4 KiB page with a
 * header {@code u16 count, u8 level, u8 leaf, pad, u64 LeftChild} and entries from +0x10 — leaf
 * entries {@code {u32 key, u32 value}} (at most 0x1FF), internal entries {@code {u32 key, pad,
 * u64 child}} (at most 0xFF), keys ascending as unsigned numbers. A search takes, in an internal
 * node, the child of the largest key not above the one sought, else LeftChild; a leaf matches
 * exactly.
 *
 * <p>Parsed nodes are cached (the trees are read-only evidence), so a warm lookup reads no memory.
 * A node that breaks the format — a count past the limit, keys out of order, a child that is not a
 * page-aligned kernel address, a path deeper than any real tree or a cycle — fails the lookup
 * with an {@link Unreadable} naming the node; lookups through other nodes go on. Thread-safe.
 */
public final class BTree {

    public static final int NODE_SIZE = 4096;
    public static final int MAX_LEAF_ENTRIES = 0x1FF;
    public static final int MAX_NODE_ENTRIES = 0xFF;
    /** Deeper than any real tree: 0xFF-way nodes reach 2^32 keys in five levels. */
    public static final int MAX_DEPTH = 12;
    private static final int MAX_CACHED_NODES = 16_384;

    /** A parsed node: keys, and values (leaf) or children (internal, with LeftChild first). */
    record Node(long address, boolean leaf, int[] keys, long[] values, long leftChild) {
    }

    /** Receives the entries of a walk in key order. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(long key, long value);
    }

    /** Receives the nodes of a walk that could not be read. */
    @FunctionalInterface
    public interface DamageVisitor {
        void damaged(String reason);
    }

    private final Memory kernel;
    private final String name;
    private final ConcurrentHashMap<Long, Node> cache = new ConcurrentHashMap<>();

    /**
     * @param kernel where the nodes are (kernel memory)
     * @param name   the tree's name for messages, e.g. "KeyToStoreTree"
     */
    public BTree(Memory kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    /**
     * @return the value stored for {@code key}, or -1 when the tree does not hold it
     * @throws Unreadable when a node on the way cannot be read or is malformed
     */
    public long find(long root, int key) {
        long at = root;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Node n = node(at, depth);
            int[] keys = n.keys();
            // the largest i with keys[i] <= key
            int lo = 0;
            int hi = keys.length - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = Integer.compareUnsigned(keys[mid], key);
                if (c <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (n.leaf()) {
                return found >= 0 && keys[found] == key ? n.values()[found] : -1;
            }
            at = found >= 0 ? n.values()[found] : n.leftChild();
        }
        throw new Unreadable(name + " below " + hex(root) + " is deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }

    /**
     * Visits every entry in key order, skipping (and reporting) subtrees whose nodes cannot be read.
     *
     * @param limit the most entries to visit
     * @return the number of entries visited
     */
    public long walk(long root, long limit, EntryVisitor entries, DamageVisitor damage) {
        record Pending(long address, int depth) {
        }
        Deque<Pending> stack = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        stack.push(new Pending(root, 0));
        long visited = 0;
        while (!stack.isEmpty() && visited < limit) {
            Pending p = stack.pop();
            if (!seen.add(p.address())) {
                damage.damaged(name + " node " + hex(p.address()) + " is reached twice (a cycle); not followed again");
                continue;
            }
            if (p.depth() >= MAX_DEPTH) {
                damage.damaged(name + " is deeper than " + MAX_DEPTH + " levels at " + hex(p.address()));
                continue;
            }
            Node n;
            try {
                n = node(p.address(), p.depth());
            } catch (Unreadable e) {
                damage.damaged(e.getMessage());
                continue;
            }
            if (n.leaf()) {
                for (int i = 0; i < n.keys().length && visited < limit; i++, visited++) {
                    entries.entry(n.keys()[i] & 0xFFFFFFFFL, n.values()[i]);
                }
                continue;
            }
            for (int i = n.keys().length - 1; i >= 0; i--) {
                stack.push(new Pending(n.values()[i], p.depth() + 1));
            }
            stack.push(new Pending(n.leftChild(), p.depth() + 1));
        }
        return visited;
    }

    private Node node(long address, int depth) {
        Node cached = cache.get(address);
        if (cached != null) {
            return cached;
        }
        String what = name + " node (depth " + depth + ")";
        if (!Memory.isKernel(address) || (address & 0xFFF) != 0) {
            throw new Unreadable(what + " pointer " + hex(address) + " is not a page-aligned kernel address");
        }
        byte[] b = kernel.bytes(address, NODE_SIZE, what);
        int count = LittleEndian.u16(b, 0);
        int leafFlag = b[3] & 0xff;
        if (leafFlag > 1) {
            throw new Unreadable(what + " at " + hex(address) + " has leaf flag " + leafFlag + " (0 or 1 expected)");
        }
        boolean leaf = leafFlag == 1;
        int max = leaf ? MAX_LEAF_ENTRIES : MAX_NODE_ENTRIES;
        if (count > max) {
            throw new Unreadable(what + " at " + hex(address) + " claims " + count + " entries, more than the "
                    + max + " a " + (leaf ? "leaf" : "node") + " page holds");
        }
        int[] keys = new int[count];
        long[] values = new long[count];
        int stride = leaf ? 8 : 16;
        for (int i = 0; i < count; i++) {
            int at = 0x10 + i * stride;
            keys[i] = (int) LittleEndian.u32(b, at);
            values[i] = leaf ? LittleEndian.u32(b, at + 4) : LittleEndian.i64(b, at + 8);
            if (i > 0 && Integer.compareUnsigned(keys[i - 1], keys[i]) >= 0) {
                throw new Unreadable(what + " at " + hex(address) + ": keys out of order at entry " + i + " ("
                        + hex(keys[i - 1] & 0xFFFFFFFFL) + " then " + hex(keys[i] & 0xFFFFFFFFL) + ")");
            }
            if (!leaf && (!Memory.isKernel(values[i]) || (values[i] & 0xFFF) != 0)) {
                throw new Unreadable(what + " at " + hex(address) + ": child " + i + " is " + hex(values[i])
                        + ", not a page-aligned kernel address");
            }
        }
        long left = LittleEndian.i64(b, 8);
        if (!leaf && (!Memory.isKernel(left) || (left & 0xFFF) != 0)) {
            throw new Unreadable(what + " at " + hex(address) + ": LeftChild is " + hex(left)
                    + ", not a page-aligned kernel address");
        }
        Node n = new Node(address, leaf, keys, values, left);
        if (cache.size() >= MAX_CACHED_NODES) {
            cache.clear();
        }
        cache.put(address, n);
        return n;
    }
}
