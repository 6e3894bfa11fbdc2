package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;

/**
 * Decodes tcpip.sys endpoints in the layout of the image's build ({@link EndpointLayout}): checks that the bytes
 * are an endpoint (its _INETAF gives IPv4 or IPv6, a connection's state is a TCP state), then follows the
 * pointers to its addresses and its owner through the kernel address space. What cannot be followed — a wild
 * owner or address pointer, a page that is not in memory — is a typed missing value naming the pointer, never
 * the loss of the endpoint. Shared by the pool scan ({@link NetworkScanner}) and the walk of tcpip's tables
 * ({@link TcpipTables}).
 *
 * @since 0.1
 */
public final class EndpointReader {

    /** AF_INET and AF_INET6 as Windows numbers them. */
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 23;

    private final MemoryReader memory;
    private final ProcessWalker processes;
    private final Map<EndpointKind, EndpointLayout> layouts;
    private final Map<Long, Readout<NetEndpoint.Owner>> owners = new ConcurrentHashMap<>();

    /**
     * @param kernel  the kernel address space
     * @param profile the kernel's profile (for the owners' _EPROCESS)
     * @param build   the image's build, choosing the layouts
     */
    public EndpointReader(X64Layer kernel, Profile profile, int build) {
        this.memory = new MemoryReader(kernel);
        this.processes = new ProcessWalker(kernel, profile);
        this.layouts = new EnumMap<>(EndpointKind.class);
        for (EndpointKind k : EndpointKind.values()) {
            EndpointLayout.forBuild(build, k).ifPresent(l -> layouts.put(k, l));
        }
    }

    /** @return the layout of {@code kind} for the image's build, or null when none is known */
    public EndpointLayout layout(EndpointKind kind) {
        return layouts.get(kind);
    }

    /**
     * What a block of bytes holds: an endpoint, or why it is none.
     *
     * @param endpoint the endpoint, or null
     * @param problem  why the bytes are not an endpoint, or null
     * @since 0.1
     */
    public record Candidate(NetEndpoint endpoint, String problem) {
    }

    /** Reads and decodes the endpoint of {@code kind} at virtual {@code va}. */
    public Candidate read(EndpointKind kind, long va) {
        EndpointLayout l = layouts.get(kind);
        if (l == null) {
            return new Candidate(null, "no " + kind.tag() + " layout for this build");
        }
        Readout<byte[]> b = memory.bytes(va, l.size(), kind.tag());
        if (!b.isPresent()) {
            return new Candidate(null, b.reason());
        }
        return decode(kind, b.get(), -1, va);
    }

    /**
     * Decodes the endpoint of {@code kind} whose first {@link EndpointLayout#size()} bytes are {@code b}.
     *
     * @param physical its physical address, or -1
     * @param va       its virtual address, or 0 when unknown
     */
    public Candidate decode(EndpointKind kind, byte[] b, long physical, long va) {
        EndpointLayout l = layouts.get(kind);
        if (l == null) {
            return new Candidate(null, "no " + kind.tag() + " layout for this build");
        }
        long inetAf = Bytes.u64(b, l.inetAf());
        if (inetAf >= 0 || !X64Translator.canonical(inetAf)) {
            return new Candidate(null, "InetAF " + hex(inetAf) + " is not a kernel address");
        }
        Readout<byte[]> af = memory.bytes(inetAf + l.family(), 2, "_INETAF.AddressFamily");
        if (!af.isPresent()) {
            return new Candidate(null, af.reason());
        }
        int family = Bytes.u16(af.get(), 0);
        if (family != AF_INET && family != AF_INET6) {
            return new Candidate(null, "AddressFamily " + family + " is neither AF_INET nor AF_INET6");
        }
        int state = l.state() >= 0 ? (int) Bytes.u32(b, l.state()) : kind == EndpointKind.TCP_LISTENER
                ? NetEndpoint.LISTENING : -1;
        if (l.state() >= 0 && !NetEndpoint.plausibleState(Bytes.u32(b, l.state()))) {
            return new Candidate(null, "State " + Bytes.u32(b, l.state()) + " is not a TCP state");
        }
        int size = family == AF_INET ? 4 : 16;
        String at = kind.tag() + " at " + (va != 0 ? hex(va) : "physical " + hex(physical));
        boolean anyLocal = kind != EndpointKind.TCP_ENDPOINT;
        Readout<String> local = address(b, l.local(), size, anyLocal, at + ": local address");
        Readout<String> remote = l.remote() == null ? Readout.missing(kind == EndpointKind.TCP_LISTENER
                ? "a listener has no remote end" : "a UDP endpoint has no remote end") : address(b, l.remote(), size,
                        false, at + ": remote address");
        int remotePort = l.remotePort() >= 0 ? port(b, l.remotePort()) : -1;
        Readout<Instant> created = l.created() < 0 ? Readout.missing("the " + kind.tag() + " layout of this build"
                + " (" + l.source() + ") publishes no CreateTime") : created(Bytes.u64(b, l.created()));
        return new Candidate(new NetEndpoint(kind, physical, va, family == AF_INET ? 4 : 6, local, port(b, l
                .localPort()), remote, remotePort, state, owner(Bytes.u64(b, l.owner())), created), null);
    }

    private static int port(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static Readout<Instant> created(long fileTime) {
        if (fileTime == 0) {
            return Readout.missing("CreateTime is zero");
        }
        Instant t = ProcessWalker.instant(fileTime);
        return t == null ? Readout.missing("CreateTime " + hex(fileTime) + " is not a time") : Readout.of(t);
    }

    /**
     * Follows {@code chain} from the endpoint to the address bytes. A null pointer on the way means "any address"
     * where {@code anyWhenNull}, else the address is missing.
     */
    private Readout<String> address(byte[] b, int[] chain, int size, boolean anyWhenNull, String what) {
        long p = Bytes.u64(b, chain[0]);
        for (int i = 1; i <= chain.length; i++) {
            if (p == 0) {
                return anyWhenNull ? Readout.of(InetText.format(new byte[size])) : Readout.missing(what
                        + ": a null pointer");
            }
            if (i == chain.length) {
                break;
            }
            Readout<Long> next = memory.qword(p + chain[i], what);
            if (!next.isPresent()) {
                return Readout.missing(next.cause(), next.reason());
            }
            p = next.get();
        }
        return memory.bytes(p, size, what).map(InetText::format);
    }

    /** @return the process the Owner pointer points at, or why it names none (each pointer read once) */
    private Readout<NetEndpoint.Owner> owner(long eprocess) {
        if (eprocess == 0) {
            return Readout.missing("the Owner pointer is null");
        }
        return owners.computeIfAbsent(eprocess, e -> {
            Readout<byte[]> b = memory.bytes(e, processes.eprocessSize(), "Owner _EPROCESS");
            if (!b.isPresent()) {
                return Readout.missing(b.cause(), "the Owner pointer is wild: " + b.reason());
            }
            ProcessWalker.Candidate c = processes.candidate(b.get(), 0, e);
            if (c.problem() != null) {
                return Readout.missing("the Owner pointer " + hex(e) + " is wild: it points at no _EPROCESS ("
                        + c.problem() + ")");
            }
            return Readout.of(new NetEndpoint.Owner(e, c.process().pid(), c.process().name()));
        });
    }
}
