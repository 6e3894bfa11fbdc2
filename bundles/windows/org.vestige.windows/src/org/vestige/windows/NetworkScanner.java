package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;
import org.vestige.windows.internal.Bytes;

/**
 * Finds tcpip.sys's network endpoints anywhere in physical memory (netscan): one pass of the {@link PoolScanner}
 * for pool blocks tagged 'TcpE', 'TcpL' or 'UdpA', the body behind each 16-byte _POOL_HEADER decoded by the
 * {@link EndpointReader}. Closed connections and endpoints tcpip no longer links stay in their pool blocks until
 * the memory is reused, so the scan finds them too. A connection's virtual address is recovered from its
 * hash-table links when they are intact.
 *
 * @since 0.1
 */
public final class NetworkScanner {

    private static final int POOL_HEADER = 0x10;

    private final Layer physical;
    private final X64Layer kernel;
    private final EndpointReader reader;

    /**
     * @param physical the physical address space
     * @param kernel   the kernel address space
     * @param reader   the decoder for the image's build
     */
    public NetworkScanner(Layer physical, X64Layer kernel, EndpointReader reader) {
        this.physical = physical;
        this.kernel = kernel;
        this.reader = reader;
    }

    /**
     * Scans all of physical memory with {@code threads} workers.
     *
     * @return the endpoints in physical address order, and the tagged blocks that hold none
     * @throws CancellationException when {@code progress} is cancelled
     */
    public PoolScanner.Result<NetEndpoint> scan(int threads, ScanProgress progress) {
        int[] tags = new int[EndpointKind.values().length];
        for (EndpointKind k : EndpointKind.values()) {
            tags[k.ordinal()] = k.poolTag();
        }
        PoolScanner.Result<NetEndpoint> r = new PoolScanner(physical, tags, "network endpoints").scan(0, physical
                .size(), threads, progress, this::candidate);
        List<NetEndpoint> found = new ArrayList<>(r.found());
        found.sort(Comparator.comparingLong(NetEndpoint::physical));
        return new PoolScanner.Result<>(found, r.warnings(), r.bytesScanned(), r.nanos());
    }

    private void candidate(long header, List<NetEndpoint> found, List<String> warnings) {
        byte[] h = new byte[8];
        if (physical.read(header, h, 0, 8) != 8) {
            return;
        }
        EndpointKind kind = EndpointKind.ofPoolTag((int) Bytes.u32(h, 4));
        EndpointLayout layout = reader.layout(kind);
        if (layout == null) {
            return;
        }
        long body = header + POOL_HEADER;
        int size = layout.size();
        if ((body & 0xfff) + size > 0x1000) {
            return; // a small pool block does not straddle a page: not an endpoint's header
        }
        byte[] b = new byte[size];
        if (physical.read(body, b, 0, size) != size) {
            return;
        }
        EndpointReader.Candidate c = reader.decode(kind, b, body, virtualAddress(layout, b, body));
        if (c.problem() != null) {
            warnings.add("pool block at physical " + hex(header) + " tagged '" + kind.tag() + "' holds no plausible "
                    + kind.tag() + " (" + c.problem() + ")");
            return;
        }
        found.add(c.endpoint());
    }

    /**
     * @return the virtual address of a connection whose hash-table links lead back to it (its Flink's Blink, or
     *         its Blink's Flink, translating to {@code body}), or 0
     */
    private long virtualAddress(EndpointLayout layout, byte[] b, long body) {
        if (layout.links() < 0) {
            return 0;
        }
        long[] guesses = {neighbour(Bytes.u64(b, layout.links()), 8), neighbour(Bytes.u64(b, layout.links() + 8), 0)};
        for (long links : guesses) {
            long va = links - layout.links();
            if (links != 0 && kernel.translate(va) == body) {
                return va;
            }
        }
        return 0;
    }

    private long neighbour(long link, int at) {
        if (link >= 0 || !X64Translator.canonical(link)) {
            return 0;
        }
        byte[] q = new byte[8];
        return kernel.read(link + at, q, 0, 8) == 8 ? Bytes.u64(q, 0) : 0;
    }
}
