package org.vestige.windows;

import org.vestige.windows.internal.Bytes;

/**
 * Finds tcpip.sys's globals in its image when no symbols match its identity: every 8-byte-aligned place of the
 * image's readable pages is tried against what the global holds. PartitionTable is a pointer, 4 or 8 bytes
 * behind PartitionCount (1 to {@link TcpipTables#MAX_PARTITIONS}), to partitions whose hash tables are
 * consistent (a TableSize, a Directory whose first bucket's links agree); a compartment set is the place whose
 * pointers lead through the compartment and protocol compartment to a port pool, and the first endpoint a port
 * of the pool leads to carries the pool tag that says which (TcpL: TCP, UdpA: UDP). Reads are bounded: at most
 * {@link #MAX_IMAGE} bytes of image, each candidate checked with a handful of reads.
 */
final class GlobalSearch {

    /** A tcpip.sys larger than this is not searched beyond it. */
    static final long MAX_IMAGE = 16L << 20;
    private static final long FLAGS = 3;

    private final X64Layer kernel;
    private final MemoryReader memory;
    private final EndpointReader reader;
    private final TcpipTableLayout layout;

    GlobalSearch(X64Layer kernel, MemoryReader memory, EndpointReader reader, TcpipTableLayout layout) {
        this.kernel = kernel;
        this.memory = memory;
        this.reader = reader;
        this.layout = layout;
    }

    /** @return the globals found in the image at {@code base}, 0 for each one not found */
    TcpipTables.Globals search(long base, long size) {
        int length = (int) Math.min(MAX_IMAGE, size) & ~0xfff;
        byte[] image = new byte[length];
        boolean[] readable = new boolean[length >>> 12];
        for (int page = 0; page < readable.length; page++) {
            readable[page] = kernel.read(base + ((long) page << 12), image, page << 12, 0x1000) == 0x1000;
        }
        long table = 0;
        long count = 0;
        long tcp = 0;
        long udp = 0;
        for (int at = 8; at + 8 <= length && (table == 0 || tcp == 0 || udp == 0); at += 8) {
            if (!readable[at >>> 12]) {
                at = ((at >>> 12) + 1 << 12) - 8;
                continue;
            }
            long q = Bytes.u64(image, at);
            if (table == 0 && kernelPointer(q)) {
                for (int behind : new int[] {4, 8}) {
                    long n = Bytes.u32(image, at - behind);
                    if (n >= 1 && n <= TcpipTables.MAX_PARTITIONS && partitions(q)) {
                        table = base + at;
                        count = base + at - behind;
                        break;
                    }
                }
            }
            if ((tcp == 0 || udp == 0) && at + layout.compartment() + 8 <= length && kernelPointer(Bytes.u64(image,
                    at + layout.compartment()))) {
                EndpointKind kind = portPoolOf(Bytes.u64(image, at + layout.compartment()));
                if (kind == EndpointKind.TCP_LISTENER && tcp == 0) {
                    tcp = base + at;
                } else if (kind == EndpointKind.UDP_ENDPOINT && udp == 0) {
                    udp = base + at;
                }
            }
        }
        return new TcpipTables.Globals(table, count, tcp, udp);
    }

    private static boolean kernelPointer(long q) {
        return q < 0 && X64Translator.canonical(q) && (q & 7) == 0;
    }

    private long pointer(long va) {
        Readout<Long> r = memory.qword(va, "search");
        return r.isPresent() ? r.get() : 0;
    }

    /** @return whether the first partition at {@code partitions} holds a consistent hash table */
    private boolean partitions(long partitions) {
        for (int off : layout.tables()) {
            long ht = pointer(partitions + off);
            if (!kernelPointer(ht)) {
                continue;
            }
            Readout<byte[]> size = memory.bytes(ht + layout.tableSize(), 4, "search");
            long directory = pointer(ht + layout.directory());
            if (!size.isPresent() || !kernelPointer(directory)) {
                continue;
            }
            long buckets = Bytes.u32(size.get(), 0);
            long flink = pointer(directory);
            if (buckets >= 1 && buckets <= TcpipTables.MAX_BUCKETS && kernelPointer(flink) && pointer(flink + 8)
                    == directory) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return which endpoints the port pool reached from the compartment at {@code compartment} holds, judged by
     *         the pool tag of the first endpoint one of its ports leads to; null when it leads to none
     */
    private EndpointKind portPoolOf(long compartment) {
        long protocol = pointer(compartment + layout.protocol());
        long pool = kernelPointer(protocol) ? pointer(protocol + layout.pool()) : 0;
        if (!kernelPointer(pool)) {
            return null;
        }
        Readout<byte[]> assignments = memory.bytes(pool + layout.assignments(), 256 * 8, "search");
        if (!assignments.isPresent()) {
            return null;
        }
        for (int high = 0; high < 256; high++) {
            long assignment = Bytes.u64(assignments.get(), high * 8);
            if (assignment == 0) {
                continue;
            }
            long list = kernelPointer(assignment) ? pointer(assignment + layout.bigPool()) : 0;
            Readout<byte[]> entries = kernelPointer(list) ? memory.bytes(list, 256 * layout.entrySize(), "search")
                    : null;
            if (entries == null || !entries.isPresent()) {
                return null;
            }
            for (int low = 0; low < 256; low++) {
                long next = Bytes.u64(entries.get(), low * layout.entrySize() + layout.entry()) & ~FLAGS;
                if (next != 0) {
                    return tagged(next);
                }
            }
        }
        return null;
    }

    /** @return the kind whose Next field is at {@code next} and whose pool block carries its tag, or null */
    private EndpointKind tagged(long next) {
        for (EndpointKind kind : new EndpointKind[] {EndpointKind.TCP_LISTENER, EndpointKind.UDP_ENDPOINT}) {
            EndpointLayout l = reader.layout(kind);
            if (l == null || l.next() < 0) {
                continue;
            }
            Readout<byte[]> header = memory.bytes(next - l.next() - 0x10 + 4, 4, "search");
            if (header.isPresent() && EndpointKind.ofPoolTag((int) Bytes.u32(header.get(), 0)) == kind) {
                return kind;
            }
        }
        return null;
    }
}
