package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.PeImage;

/**
 * Walks tcpip.sys's own tables of endpoints (netstat): the partitions' hash tables of TCP connections and the
 * port pools of TCP listeners and UDP endpoints, from the globals of tcpip.sys. The globals' RVAs come from the
 * symbols of the module's own build, matched by the PDB identity in its CodeView record: the installed tcpip.pdb
 * profile with that identity ({@link ProfileMatcher#forModule}), else {@link TcpipSymbols}. Another build's
 * profile does not stand in: its RVAs would point elsewhere in this image, so without the module's own symbols
 * the globals are searched for instead;
 * the tables' layout from {@link TcpipTableLayout}. Whatever is missing — the module, its debug record, symbols
 * for its identity, a layout for the build — is the walk's {@link Walk#unavailable() reason}.
 *
 * <p>Nothing hangs: at most {@link #MAX_ENDPOINTS} endpoints are listed, every list and chain stops at an
 * address seen before (a warning naming it), and a pointer that cannot be followed is a warning naming it
 * while the rest is walked.
 *
 * @since 0.1
 */
public final class TcpipTables {

    /** More endpoints than this is not a real table. */
    public static final int MAX_ENDPOINTS = 1 << 20;
    /** More partitions than this is not a real PartitionCount. */
    static final int MAX_PARTITIONS = 4096;
    /** More buckets than this is not a real hash table. */
    static final int MAX_BUCKETS = 1 << 20;
    /** Entry and Next carry flags in their two low bits. */
    private static final long FLAGS = 3;

    /**
     * An endpoint the walk reached.
     *
     * @param kind    what it is
     * @param address its virtual address
     * @param via     where it was linked from: "partition 0 hash table +0x8", "TCP port pool, port 135"
     * @since 0.1
     */
    public record Walked(EndpointKind kind, long address, String via) {
    }

    /**
     * The result of a walk.
     *
     * @param endpoints   the endpoints reached, each once, in walk order
     * @param warnings    pointers that could not be followed and lists that loop
     * @param how         how the tables were found ("symbols of tcpip.pdb GUID-age"), or null
     * @param unavailable why the tables could not be walked at all, or null
     * @since 0.1
     */
    public record Walk(List<Walked> endpoints, List<String> warnings, String how, String unavailable) {

        public Walk {
            endpoints = List.copyOf(endpoints);
            warnings = List.copyOf(warnings);
        }

        static Walk unavailable(String why) {
            return new Walk(List.of(), List.of(), null, why);
        }
    }

    private final X64Layer kernel;
    private final MemoryReader memory;
    private final EndpointReader reader;
    private final ProfileMatcher profiles;

    /**
     * @param kernel the kernel address space
     * @param reader the endpoint decoder of the image's build (for the endpoints' link offsets)
     */
    public TcpipTables(X64Layer kernel, EndpointReader reader) {
        this(kernel, reader, null);
    }

    /**
     * @param kernel   the kernel address space
     * @param reader   the endpoint decoder of the image's build (for the endpoints' link offsets)
     * @param profiles the installed profiles, where tcpip.sys's symbols are looked up first, or null
     * @since 0.1
     */
    public TcpipTables(X64Layer kernel, EndpointReader reader, ProfileMatcher profiles) {
        this.kernel = kernel;
        this.memory = new MemoryReader(kernel);
        this.reader = reader;
        this.profiles = profiles;
    }

    /**
     * Walks the tables of the tcpip.sys among {@code modules}.
     *
     * @param modules the kernel's loaded modules
     * @param build   the image's build
     */
    public Walk walk(List<WinModule> modules, int build) {
        Optional<WinModule> tcpip = modules.stream().filter(m -> m.baseName().isPresent() && m.baseName().get()
                .toLowerCase(Locale.ROOT).equals("tcpip.sys")).findFirst();
        if (tcpip.isEmpty()) {
            return Walk.unavailable("tcpip.sys is not on the kernel's module list");
        }
        long base = tcpip.get().base();
        Optional<PeImage.CodeView> cv;
        try {
            cv = PeImage.read(kernel, base).codeView(kernel);
        } catch (PeImage.NotPeException e) {
            return Walk.unavailable("tcpip.sys at " + hex(base) + " has no readable PE header: " + e.getMessage());
        }
        if (cv.isEmpty()) {
            return Walk.unavailable("tcpip.sys at " + hex(base) + " has no readable CodeView (RSDS) record");
        }
        String identity = cv.get().guid() + "-" + cv.get().age();
        Optional<TcpipTableLayout> layout = TcpipTableLayout.forBuild(build);
        if (layout.isEmpty()) {
            return Walk.unavailable("no layout of tcpip's tables is known for build " + build + " (known: "
                    + TcpipTableLayout.knownBuilds() + ")");
        }
        Optional<Walk> installed = withInstalledSymbols(new PdbIdentity(cv.get().pdbName(), cv.get().guid(), cv
                .get().age()), base, build, layout.get());
        if (installed.isPresent()) {
            return installed.get();
        }
        Optional<TcpipSymbols> symbols = TcpipSymbols.forIdentity(cv.get().guid(), cv.get().age());
        if (symbols.isPresent()) {
            TcpipSymbols s = symbols.get();
            return new Run(new Globals(base + s.partitionTable(), base + s.partitionCount(), base
                    + s.tcpCompartmentSet(), base + s.udpCompartmentSet()), layout.get()).walk("symbols of tcpip.pdb "
                            + identity);
        }
        Globals found = new GlobalSearch(kernel, memory, reader, layout.get()).search(base, tcpip.get().size());
        if (found.partitionTable() == 0 && found.tcpCompartmentSet() == 0 && found.udpCompartmentSet() == 0) {
            return Walk.unavailable("no symbols of tcpip.pdb " + identity + " are installed (" + TcpipSymbols.all()
                    .size() + " identities known) and a search of tcpip.sys's image found none of its tables");
        }
        return new Run(found, layout.get()).walk("symbol-less search of tcpip.sys's image (no symbols of tcpip.pdb "
                + identity + ")");
    }

    /**
     * @return the walk from the globals at the RVAs of the installed profile with the module's own PDB identity,
     *         or empty when none is installed, it cannot be read, or it has none of them
     */
    private Optional<Walk> withInstalledSymbols(PdbIdentity pdb, long base, int build, TcpipTableLayout layout) {
        if (profiles == null) {
            return Optional.empty();
        }
        Optional<ProfileMatcher.ModuleMatch> match = profiles.forModule(pdb, build, 0).filter(
                ProfileMatcher.ModuleMatch::exact);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        org.vestige.core.types.Profile p;
        try {
            p = match.get().profile().load();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
        Globals g = new Globals(at(p, base, "PartitionTable"), at(p, base, "PartitionCount"), at(p, base,
                "TcpCompartmentSet"), at(p, base, "UdpCompartmentSet"));
        if (g.partitionTable() == 0 && g.tcpCompartmentSet() == 0 && g.udpCompartmentSet() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Run(g, layout).walk("symbols of tcpip.pdb " + pdb.guid() + "-" + pdb.age()
                + " (profile " + match.get().profile().id() + ")"));
    }

    private static long at(org.vestige.core.types.Profile p, long base, String name) {
        return p.symbol(name).map(rva -> base + rva).orElse(0L);
    }

    /**
     * The addresses of tcpip's globals, 0 for one not found.
     *
     * @param partitionTable    PartitionTable (a pointer to the partitions)
     * @param partitionCount    PartitionCount (u32)
     * @param tcpCompartmentSet TcpCompartmentSet
     * @param udpCompartmentSet UdpCompartmentSet
     */
    record Globals(long partitionTable, long partitionCount, long tcpCompartmentSet, long udpCompartmentSet) {
    }

    /** One walk's state: what was reached and what went wrong. */
    private final class Run {
        final Globals globals;
        final TcpipTableLayout layout;
        final Map<Long, Walked> found = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();

        Run(Globals globals, TcpipTableLayout layout) {
            this.globals = globals;
            this.layout = layout;
        }

        Walk walk(String how) {
            partitions();
            EndpointLayout listener = reader.layout(EndpointKind.TCP_LISTENER);
            EndpointLayout udp = reader.layout(EndpointKind.UDP_ENDPOINT);
            portPool(EndpointKind.TCP_LISTENER, listener, globals.tcpCompartmentSet(), "TCP port pool");
            portPool(EndpointKind.UDP_ENDPOINT, udp, globals.udpCompartmentSet(), "UDP port pool");
            return new Walk(List.copyOf(found.values()), warnings, how, null);
        }

        private boolean add(EndpointKind kind, long va, String via) {
            if (found.size() >= MAX_ENDPOINTS) {
                warnings.add("more than " + MAX_ENDPOINTS + " endpoints in tcpip's tables; the rest are not listed");
                return false;
            }
            found.putIfAbsent(va, new Walked(kind, va, via));
            return true;
        }

        private Long pointer(long va, String what) {
            Readout<Long> r = memory.qword(va, what);
            if (!r.isPresent()) {
                warnings.add(r.reason());
                return null;
            }
            return r.get();
        }

        /** The TCP connections: every bucket of every hash table of every partition. */
        private void partitions() {
            EndpointLayout tcp = reader.layout(EndpointKind.TCP_ENDPOINT);
            if (globals.partitionTable() == 0 || tcp == null || tcp.links() < 0) {
                return;
            }
            Long table = pointer(globals.partitionTable(), "PartitionTable");
            Readout<byte[]> count = memory.bytes(globals.partitionCount(), 4, "PartitionCount");
            if (table == null || !count.isPresent()) {
                if (!count.isPresent()) {
                    warnings.add(count.reason());
                }
                return;
            }
            long n = Bytes.u32(count.get(), 0);
            if (n > MAX_PARTITIONS) {
                warnings.add("PartitionCount " + n + " is not a partition count; the TCP connections are not walked");
                return;
            }
            for (int i = 0; i < n; i++) {
                for (int off : layout.tables()) {
                    String where = "partition " + i + " hash table +" + hex(off);
                    Long ht = pointer(table + (long) i * layout.partition() + off, where);
                    if (ht != null && ht != 0 && !hashTable(ht, tcp.links(), where)) {
                        return;
                    }
                }
            }
        }

        /** @return false when the walk must stop (too many endpoints) */
        private boolean hashTable(long ht, int links, String where) {
            Readout<byte[]> size = memory.bytes(ht + layout.tableSize(), 4, where + " TableSize");
            Long directory = pointer(ht + layout.directory(), where + " Directory");
            if (!size.isPresent()) {
                warnings.add(size.reason());
                return true;
            }
            long buckets = Bytes.u32(size.get(), 0);
            if (directory == null || directory == 0) {
                return true;
            }
            if (buckets > MAX_BUCKETS) {
                warnings.add(where + " at " + hex(ht) + ": TableSize " + buckets + " is not a table size");
                return true;
            }
            for (long b = 0; b < buckets; b++) {
                long head = directory + 16 * b;
                Set<Long> seen = new HashSet<>();
                Long entry = pointer(head, where + " bucket " + b);
                while (entry != null && entry != head && entry != 0) {
                    if (!seen.add(entry)) {
                        warnings.add(where + " bucket " + b + " loops back to the entry at " + hex(entry)
                                + "; the walk of that bucket stops there");
                        break;
                    }
                    Long next = pointer(entry, "the hash-table link in " + where + " bucket " + b);
                    if (next == null) {
                        break; // a link that leads nowhere: no endpoint there, the bucket ends
                    }
                    if (!add(EndpointKind.TCP_ENDPOINT, entry - links, where + " bucket " + b)) {
                        return false;
                    }
                    entry = next;
                }
            }
            return true;
        }

        /** The endpoints of one port pool: every port's chain of endpoints. */
        private void portPool(EndpointKind kind, EndpointLayout endpoint, long set, String what) {
            if (endpoint == null || endpoint.next() < 0 || set == 0) {
                return;
            }
            Long compartment = pointer(set + layout.compartment(), what + ": InetCompartment");
            Long protocol = compartment == null || compartment == 0 ? null : pointer(compartment + layout.protocol(),
                    what + ": ProtocolCompartment");
            Long pool = protocol == null || protocol == 0 ? null : pointer(protocol + layout.pool(), what
                    + ": PortPool");
            if (pool == null || pool == 0) {
                return;
            }
            Readout<byte[]> assignments = memory.bytes(pool + layout.assignments(), 256 * 8, what
                    + " PortAssignments");
            if (!assignments.isPresent()) {
                warnings.add(assignments.reason());
                return;
            }
            for (int high = 0; high < 256; high++) {
                long assignment = Bytes.u64(assignments.get(), high * 8);
                if (assignment == 0) {
                    continue;
                }
                Long list = pointer(assignment + layout.bigPool(), what + " ports " + (high << 8) + "-" + (high << 8
                        | 0xff) + " InPaBigPoolBase");
                if (list == null || list == 0) {
                    continue;
                }
                Readout<byte[]> entries = memory.bytes(list, 256 * layout.entrySize(), what + " ports " + (high << 8)
                        + "-" + (high << 8 | 0xff));
                if (!entries.isPresent()) {
                    warnings.add(entries.reason());
                    continue;
                }
                for (int low = 0; low < 256; low++) {
                    long next = Bytes.u64(entries.get(), low * layout.entrySize() + layout.entry()) & ~FLAGS;
                    if (next != 0 && !port(kind, endpoint, next, what + ", port " + (high << 8 | low))) {
                        return;
                    }
                }
            }
        }

        /** Follows one port's chain of endpoints, each pointing at the next one's Next field. */
        private boolean port(EndpointKind kind, EndpointLayout endpoint, long next, String where) {
            Set<Long> seen = new HashSet<>();
            while (next != 0) {
                if (!seen.add(next)) {
                    warnings.add(where + ": the chain of endpoints loops back to the " + kind.tag() + " at "
                            + hex(next - endpoint.next()) + "; the walk of that port stops there");
                    return true;
                }
                if (!add(kind, next - endpoint.next(), where)) {
                    return false;
                }
                Long n = pointer(next, "the Next link of the " + kind.tag() + " at " + hex(next - endpoint.next()));
                next = n == null ? 0 : n & ~FLAGS;
            }
            return true;
        }
    }
}
