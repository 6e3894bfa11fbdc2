package org.vestige.synth.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vestige.synth.NetTruth;
import org.vestige.synth.SynthTruth;
import org.vestige.windows.EndpointKind;
import org.vestige.windows.EndpointLayout;
import org.vestige.windows.TcpipSymbols;
import org.vestige.windows.TcpipTableLayout;

/**
 * Writes tcpip.sys's network endpoints as {@code windows.netscan} and {@code windows.netstat} read them, in the
 * endpoint layouts of the build ({@link EndpointLayout}): TCP listeners, connections and UDP endpoints, IPv4 and
 * IPv6, each in a pool block of its own tag, owned by running processes; and — where the module carries the
 * identity of a real tcpip.pdb of the build ({@link TcpipSymbols}) at that build's symbol RVAs, else (a random
 * identity no symbols match) where the nearest real build keeps them — tcpip's tables, where the build has a
 * table layout ({@link TcpipTableLayout}): partitions whose hash tables link the connections, and port pools whose chains link the listeners and UDP endpoints (two per port where IPv4 and
 * IPv6 share one). A closed connection of the exited cmd.exe stays in pool memory, in none of the tables.
 */
final class NetworkWriter {

    private static final int PARTITIONS = 2;
    private static final int BUCKETS = 64;
    private static final int INDIRECTION = 0x40;
    /** The Entry and Next flags bit the walk must mask off. */
    private static final long FLAG = 1;

    /** One planned endpoint. */
    private record Planned(EndpointKind kind, String local, int localPort, String remote, int remotePort, int state,
            String owner, boolean inTables) {
    }

    private static final List<Planned> PLAN = List.of(
            new Planned(EndpointKind.TCP_LISTENER, "0.0.0.0", 135, null, -1, 1, "svchost.exe", true),
            new Planned(EndpointKind.TCP_LISTENER, "::", 135, null, -1, 1, "svchost.exe", true),
            new Planned(EndpointKind.TCP_LISTENER, "192.168.56.101", 139, null, -1, 1, "System", true),
            new Planned(EndpointKind.TCP_ENDPOINT, "192.168.56.101", 49731, "93.184.216.34", 443, 4, "explorer.exe",
                    true),
            new Planned(EndpointKind.TCP_ENDPOINT, "2001:db8::1:0:0:1", 49732, "2001:db8:85a3::8a2e:370:7334", 443,
                    4, "explorer.exe", true),
            new Planned(EndpointKind.TCP_ENDPOINT, "192.168.56.101", 49702, "10.0.0.5", 445, 7, "System", true),
            new Planned(EndpointKind.TCP_ENDPOINT, "192.168.56.101", 49688, "203.0.113.7", 8080, 0, "cmd.exe",
                    false),
            new Planned(EndpointKind.UDP_ENDPOINT, "0.0.0.0", 5353, null, -1, -1, "svchost.exe", true),
            new Planned(EndpointKind.UDP_ENDPOINT, "::", 5353, null, -1, -1, "svchost.exe", true),
            new Planned(EndpointKind.UDP_ENDPOINT, "fe80::a00:27ff:fe4e:66a1", 546, null, -1, -1, "svchost.exe",
                    true));

    private final Machine machine;

    NetworkWriter(Machine machine) {
        this.machine = machine;
    }

    /**
     * @return the identity of a real tcpip.pdb of the build: one of the family the build belongs to (before
     *         17763, 17763 up to 18361, 20348 up to 21999); none for other builds, whose tcpip.sys no symbols
     *         describe
     */
    static Optional<TcpipSymbols> identity(int build) {
        String family = build < 17763 ? "pre-17763" : build < 18362 ? "17763" : build >= 20348 && build < 22000
                ? "20348" : null;
        return family == null ? Optional.empty() : TcpipSymbols.ofFamily(family).stream().findFirst();
    }

    /**
     * @return where the build's tcpip.sys keeps its globals: its own symbols' RVAs, else those of the nearest
     *         real build before it (a reader without symbols searches for them)
     */
    static TcpipSymbols placement(int build) {
        return identity(build).orElseGet(() -> TcpipSymbols.ofFamily(build < 20348 ? "17763" : "20348").get(0));
    }

    /** @return a SizeOfImage that holds the globals of {@code s} */
    static int imageSize(TcpipSymbols s) {
        long top = Math.max(Math.max(s.partitionTable(), s.partitionCount()), Math.max(s.tcpCompartmentSet(), s
                .udpCompartmentSet())) + 0x200;
        return (int) ((top + 0xfff) & ~0xfffL);
    }

    /** Writes the endpoints and tables and returns the truth. */
    NetTruth write(List<PlacedProcess> procs, List<PlacedProcess> gone, List<SynthTruth.Module> kernelModules,
            String identity) {
        SynthTruth.Module tcpip = kernelModules.stream().filter(m -> m.name().equals("tcpip.sys")).findFirst()
                .orElseThrow();
        Optional<TcpipSymbols> symbols = identity(machine.build).filter(s -> s.identity().equals(identity));
        for (EndpointKind k : EndpointKind.values()) {
            if (EndpointLayout.forBuild(machine.build, k).isEmpty()) {
                return new NetTruth("no " + k.tag() + " layout for build " + machine.build, identity, symbols.map(
                        TcpipSymbols::family).orElse(null), tcpip.base(), null, List.of());
            }
        }
        Optional<TcpipTableLayout> tables = TcpipTableLayout.forBuild(machine.build);
        String noTables = tables.isEmpty() ? "no layout of tcpip's tables is known for build " + machine.build
                : null;
        long[] ipv = {inetAf(2), inetAf(23)};
        List<PlacedProcess> all = new ArrayList<>(procs);
        all.addAll(gone);
        List<NetTruth.Endpoint> truth = new ArrayList<>();
        Map<Long, EndpointKind> linked = new LinkedHashMap<>();
        Map<Long, Integer> ports = new LinkedHashMap<>();
        for (Planned p : PLAN) {
            EndpointLayout l = EndpointLayout.forBuild(machine.build, p.kind).orElseThrow(() ->
                    new IllegalStateException("no " + p.kind.tag() + " layout for build " + machine.build));
            PlacedProcess owner = all.stream().filter(x -> x.name.equals(p.owner)).findFirst().orElse(procs.get(0));
            byte[] local = bytes(p.local);
            byte[] b = new byte[(l.size() + 0xf) & ~0xf];
            Le.put(b, l.inetAf(), ipv[local.length == 4 ? 0 : 1], 8);
            Le.put(b, l.owner(), owner.eprocess, 8);
            long created = owner.createFileTime + 10_000_000L * (30 + machine.random.nextInt(3600));
            if (l.created() >= 0) {
                Le.put(b, l.created(), created, 8);
            }
            if (l.state() >= 0) {
                Le.put(b, l.state(), p.state, 4);
            }
            putPort(b, l.localPort(), p.localPort);
            Map<String, Long> shared = new HashMap<>();
            if (p.remote != null || !isAny(local)) {
                chain(b, l.local(), local, shared);
            }
            if (p.remote != null) {
                chain(b, l.remote(), bytes(p.remote), shared);
                putPort(b, l.remotePort(), p.remotePort);
            }
            long va = machine.poolAlloc(b.length, p.kind.poolTag() & 0xFFFFFFFFL);
            machine.kernel.write(va, b);
            if (noTables == null && p.inTables) {
                linked.put(va, p.kind);
                ports.put(va, p.localPort);
            }
            truth.add(new NetTruth.Endpoint(p.kind.tag(), p.kind.protocol() + "v" + (local.length == 4 ? 4 : 6),
                    p.local, p.localPort, p.remote, p.remotePort, p.state, owner.pid, owner.name, owner.eprocess,
                    l.created() >= 0 ? created : 0, va, noTables == null && p.inTables));
        }
        if (noTables == null) {
            writeTables(tcpip.base(), placement(machine.build), tables.get(), linked, ports);
        }
        return new NetTruth(null, identity, symbols.map(TcpipSymbols::family).orElse(null), tcpip.base(), noTables,
                truth);
    }

    private static boolean isAny(byte[] address) {
        for (byte x : address) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static void putPort(byte[] b, int at, int port) {
        b[at] = (byte) (port >>> 8);
        b[at + 1] = (byte) port;
    }

    /** An _INETAF of the family. */
    private long inetAf(int family) {
        int at = EndpointLayout.forBuild(machine.build, EndpointKind.TCP_ENDPOINT).orElseThrow().family();
        long va = machine.poolAlloc(at + 8);
        machine.kernel.write(va + at, Le.bytes(family, 2));
        return va;
    }

    /**
     * Lays out the pointers of {@code chain} from the endpoint {@code b} to {@code address}; the blocks on the
     * way are shared by the chains that begin alike (a connection's local and remote addresses share _ADDRINFO).
     */
    private void chain(byte[] b, int[] chain, byte[] address, Map<String, Long> shared) {
        long target = machine.poolAlloc(address.length);
        machine.kernel.write(target, address);
        long[] blocks = new long[chain.length];
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i + 1 < chain.length; i++) {
            prefix.append('>').append(chain[i]);
            blocks[i] = shared.computeIfAbsent(prefix.toString(), k -> machine.poolAlloc(INDIRECTION));
        }
        Le.put(b, chain[0], chain.length == 1 ? target : blocks[0], 8);
        for (int i = 1; i < chain.length; i++) {
            machine.kernel.writeLong(blocks[i - 1] + chain[i], i == chain.length - 1 ? target : blocks[i]);
        }
    }

    /** The partitions' hash tables of the connections and the port pools of listeners and UDP endpoints. */
    private void writeTables(long base, TcpipSymbols s, TcpipTableLayout t, Map<Long, EndpointKind> linked,
            Map<Long, Integer> ports) {
        long partitions = machine.poolAlloc((long) PARTITIONS * t.partition());
        machine.kernel.writeLong(base + s.partitionTable(), partitions);
        machine.kernel.write(base + s.partitionCount(), Le.bytes(PARTITIONS, 4));
        long[][] directories = new long[PARTITIONS][];
        for (int i = 0; i < PARTITIONS; i++) {
            directories[i] = new long[t.tables().length];
            for (int j = 0; j < t.tables().length; j++) {
                long ht = machine.poolAlloc(t.directory() + 8);
                long dir = machine.poolAlloc(BUCKETS * 16L);
                for (int k = 0; k < BUCKETS; k++) {
                    machine.kernel.writeLong(dir + 16L * k, dir + 16L * k);
                    machine.kernel.writeLong(dir + 16L * k + 8, dir + 16L * k);
                }
                machine.kernel.write(ht + t.tableSize(), Le.bytes(BUCKETS, 4));
                machine.kernel.writeLong(ht + t.directory(), dir);
                machine.kernel.writeLong(partitions + (long) i * t.partition() + t.tables()[j], ht);
                directories[i][j] = dir;
            }
        }
        EndpointLayout tcp = EndpointLayout.forBuild(machine.build, EndpointKind.TCP_ENDPOINT).orElseThrow();
        Map<Long, List<Long>> buckets = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<Long, EndpointKind> e : linked.entrySet()) {
            if (e.getValue() == EndpointKind.TCP_ENDPOINT) {
                long head = directories[n % PARTITIONS][0] + 16L * (ports.get(e.getKey()) % BUCKETS);
                buckets.computeIfAbsent(head, h -> new ArrayList<>()).add(e.getKey() + tcp.links());
                n++;
            }
        }
        buckets.forEach((head, entries) -> Machine.linkList(machine.kernel, head, entries));
        portPool(base + s.tcpCompartmentSet(), t, EndpointKind.TCP_LISTENER, linked, ports);
        portPool(base + s.udpCompartmentSet(), t, EndpointKind.UDP_ENDPOINT, linked, ports);
    }

    private void portPool(long set, TcpipTableLayout t, EndpointKind kind, Map<Long, EndpointKind> linked,
            Map<Long, Integer> ports) {
        long next = EndpointLayout.forBuild(machine.build, kind).orElseThrow().next();
        long compartment = machine.poolAlloc(t.protocol() + 8);
        long protocol = machine.poolAlloc(t.pool() + 8);
        long pool = machine.poolAlloc(t.assignments() + 256 * 8);
        machine.kernel.writeLong(set + t.compartment(), compartment);
        machine.kernel.writeLong(compartment + t.protocol(), protocol);
        machine.kernel.writeLong(protocol + t.pool(), pool);
        Map<Integer, Long> lists = new HashMap<>();
        Map<Integer, Long> last = new HashMap<>();
        for (Map.Entry<Long, EndpointKind> e : linked.entrySet()) {
            if (e.getValue() != kind) {
                continue;
            }
            int port = ports.get(e.getKey());
            long list = lists.computeIfAbsent(port >> 8, high -> {
                long assignment = machine.poolAlloc(t.bigPool() + 8);
                long entries = machine.poolAlloc(256L * t.entrySize());
                machine.kernel.writeLong(assignment + t.bigPool(), entries);
                machine.kernel.writeLong(pool + t.assignments() + 8L * high, assignment);
                return entries;
            });
            long link = e.getKey() + next;
            Long previous = last.put(port, link);
            machine.kernel.writeLong(previous == null ? list + (long) (port & 0xff) * t.entrySize() + t.entry()
                    : previous, link | FLAG);
        }
    }
}
