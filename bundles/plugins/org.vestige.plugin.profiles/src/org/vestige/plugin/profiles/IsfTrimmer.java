package org.vestige.plugin.profiles;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cuts a Volatility 3 ISF document down to what memory forensics needs: the {@link #ROOT_TYPES root
 * types} with the transitive closure of every struct, union, class and enum they refer to (embedded,
 * in arrays, in bit fields and behind pointers, so every type the result names and the source
 * defines is in the result; pointers to incomplete types, which the source does not define either,
 * stay as they are), every base type, and the {@link #ROOT_SYMBOLS listed symbols} (with the types a symbol names).
 * Kept entries are copied unchanged, so every kept layout is byte-for-byte the source's facts; only
 * what is not reachable from a root is dropped.
 *
 * <p>A driver's table (its PDB name in {@link #MODULE_SYMBOLS}; {@link #forPdb}) has no types: it keeps the
 * driver's listed symbols and is refused when it has none of them.
 *
 * <p>Patterns ending in {@code *} match every name with that prefix; other patterns match one
 * name exactly. Names a kernel does not have are skipped (a Windows 7 kernel has no
 * {@code _RTL_AVL_TREE}, a Windows 10 kernel no {@code _MMADDRESS_NODE}).
 *
 * @since 0.1
 */
public final class IsfTrimmer {

    /**
     * Structures Vestige reads from a Windows kernel: processes, threads and their user-mode
     * blocks, loader lists, the page-table-entry family, VADs and the sections behind them,
     * handle tables, object headers (with the optional headers) and types, tokens with their SIDs and
     * privileges, file objects with their section object pointers, control areas, subsections, shared
     * cache maps and VACBs, registry key bodies, pool headers and big-page tracking, the debugger
     * data block, the shared user page, registry hives, paging files, the memory manager's
     * system information (MiState, whose {@code Hardware.InvalidPteMask} decodes swizzled PTEs),
     * the physical memory descriptor, processor blocks, and the store manager's structures where
     * the PDB has them.
     */
    public static final List<String> ROOT_TYPES = List.of(
            "_EPROCESS", "_KPROCESS", "_ETHREAD", "_KTHREAD",
            "_PEB", "_PEB_LDR_DATA", "_LDR_DATA_TABLE_ENTRY", "_KLDR_DATA_TABLE_ENTRY",
            "_RTL_USER_PROCESS_PARAMETERS", "_UNICODE_STRING", "_LIST_ENTRY",
            "_MMPTE*", "_MMVAD*", "_RTL_AVL_TREE", "_RTL_BALANCED_NODE", "_MM_AVL_TABLE", "_MMADDRESS_NODE",
            "_SUBSECTION", "_CONTROL_AREA", "_FILE_OBJECT", "_SEGMENT", "_MMPFN",
            "_SECTION_OBJECT_POINTERS", "_SHARED_CACHE_MAP", "_VACB", "_VACB_ARRAY_HEADER", "_EX_FAST_REF",
            "_HANDLE_TABLE*", "_OBJECT_HEADER*", "_OBJECT_TYPE", "_OBJECT_DIRECTORY*",
            "_POOL_HEADER", "_POOL_TRACKER_BIG_PAGES",
            "_KDDEBUGGER_DATA64", "_DBGKD_DEBUG_DATA_HEADER64", "_KUSER_SHARED_DATA",
            "_CMHIVE", "_HHIVE", "_HMAP_*", "_DUAL", "_CM_KEY_*",
            "_MMPAGING_FILE", "_MI_SYSTEM_INFORMATION", "_MI_HARDWARE_STATE",
            "_PHYSICAL_MEMORY_DESCRIPTOR", "_PHYSICAL_MEMORY_RUN",
            "_KPRCB", "_KPCR", "_TOKEN", "_SEP_TOKEN_PRIVILEGES", "_SID", "_SID_AND_ATTRIBUTES", "_CLIENT_ID",
            "_CM_NAME_CONTROL_BLOCK", "_DRIVER_OBJECT", "_DEVICE_OBJECT",
            "_SM_*", "_ST_*", "_SMKM*");

    /**
     * Kernel variables Vestige looks up by RVA: process and module list heads, the debugger data
     * block and the keys of its encoding, MiState, the PFN database, the CID handle table, the hive
     * list, object-type table, header cookie and the optional headers' offset table, the store
     * manager's globals (also under their C++-decorated name), paging files, the system partition,
     * processor blocks, the build number and lab string, big-pool tracking, a few system-wide tables
     * analyses consult, and the byte the kernel sets when Virtual Secure Mode (the secure kernel in
     * VTL1) is running.
     */
    public static final List<String> ROOT_SYMBOLS = List.of(
            "PsActiveProcessHead", "PsLoadedModuleList", "PsInitialSystemProcess",
            "KdDebuggerDataBlock", "KdpDataBlockEncoded", "KiWaitNever", "KiWaitAlways", "KdVersionBlock",
            "MiState", "MmPfnDatabase", "PspCidTable", "CmpHiveListHead", "ObTypeIndexTable", "ObHeaderCookie",
            "ObpRootDirectoryObject", "ObpInfoMaskToOffset", "SmGlobals", "?SmGlobals@@3U_SM_GLOBALS@@A",
            "MmPagingFile",
            "MiSystemPartition", "KiProcessorBlock", "KeNumberProcessors", "NtBuildNumber", "NtBuildLab",
            "NtBuildLabEx", "PoolBigPageTable", "PoolBigPageTableSize", "PoolTrackTable",
            "MmSystemRangeStart", "MmHighestUserAddress", "MmPhysicalMemoryBlock", "MmUnloadedDrivers",
            "MmLastUnloadedDriver", "KeServiceDescriptorTable", "KeServiceDescriptorTableShadow",
            "PspCreateProcessNotifyRoutine", "PspCreateThreadNotifyRoutine", "PspLoadImageNotifyRoutine",
            "CmpCallBackVector", "IopRootDeviceNode", "MmPteBase", "KiKvaShadow", "VslVsmEnabled");

    /**
     * Public symbols of {@code tcpip.sys} (PDB {@code tcpip.pdb}, symbols only: Microsoft publishes no types for
     * it) that netstat walks, each global's RVA from the module's base:
     * <ul>
     * <li>{@code PartitionTable}, {@code PartitionCount}: the pointer to the TCP partitions (whose hash tables
     * link the established connections) and their number; Volatility 3's {@code windows.netstat}
     * ({@code NetStat.parse_partitions}) and The Art of Memory Forensics, ch. 11;</li>
     * <li>{@code TcpCompartmentSet}, {@code UdpCompartmentSet}: the compartment sets leading to the TCP and UDP
     * port pools (listeners and UDP endpoints) from Windows 10 build 14251 on; Volatility 3's
     * {@code NetStat.find_port_pools}, after redplait's "tcpip port pools in fresh windows 10" (2016);</li>
     * <li>{@code TcpPortPool}, {@code UdpPortPool}: the port pools themselves on earlier builds, where no
     * compartment set leads to them; Volatility 3's {@code NetStat.find_port_pools}. None of the 85 tcpip.pdb
     * tables Vestige ships has them; a tcpip.sys of Windows 7 or 8 imported with {@code profiles.import}
     * does.</li>
     * </ul>
     * {@code TcpipTables} (org.vestige.windows) reads the first four; the walk of the older port pools is not
     * written yet.
     */
    public static final List<String> TCPIP_SYMBOLS = List.of("PartitionTable", "PartitionCount", "TcpCompartmentSet",
            "UdpCompartmentSet", "TcpPortPool", "UdpPortPool");

    /**
     * The drivers whose symbol tables Vestige ships or imports, by PDB name (lower case), with the symbols kept of
     * each. A driver's table has no types to keep; a table with none of its driver's symbols is refused.
     */
    public static final Map<String, List<String>> MODULE_SYMBOLS = Map.of("tcpip.pdb", TCPIP_SYMBOLS);

    private final List<String> rootTypes;
    private final List<String> rootSymbols;
    private final String module;

    /** A trimmer with the documented {@link #ROOT_TYPES} and {@link #ROOT_SYMBOLS}. */
    public IsfTrimmer() {
        this(ROOT_TYPES, ROOT_SYMBOLS);
    }

    /**
     * @param rootTypes   type names or prefix patterns ({@code _MMPTE*}) to keep with their closure
     * @param rootSymbols symbol names or prefix patterns to keep
     */
    public IsfTrimmer(Collection<String> rootTypes, Collection<String> rootSymbols) {
        this(rootTypes, rootSymbols, null);
    }

    private IsfTrimmer(Collection<String> rootTypes, Collection<String> rootSymbols, String module) {
        this.rootTypes = List.copyOf(rootTypes);
        this.rootSymbols = List.copyOf(rootSymbols);
        this.module = module;
    }

    /**
     * @param pdbName a profile's PDB name, or null
     * @return true when {@code pdbName} is a driver's listed in {@link #MODULE_SYMBOLS} (a symbols-only table)
     */
    public static boolean isModule(String pdbName) {
        return pdbName != null && MODULE_SYMBOLS.containsKey(pdbName.toLowerCase(Locale.ROOT));
    }

    /**
     * @param pdbName the PDB name of the document to trim, or null
     * @return the trimmer for a driver listed in {@link #MODULE_SYMBOLS} (its symbols, no types), else this one
     */
    public IsfTrimmer forPdb(String pdbName) {
        if (!isModule(pdbName)) {
            return this;
        }
        String name = pdbName.toLowerCase(Locale.ROOT);
        return new IsfTrimmer(List.of(), MODULE_SYMBOLS.get(name), name);
    }

    public List<String> rootTypes() {
        return rootTypes;
    }

    public List<String> rootSymbols() {
        return rootSymbols;
    }

    /**
     * What trimming kept.
     *
     * @param isf         the trimmed document (metadata and base types as in the source)
     * @param roots       the root types the source had, sorted
     * @param types       every kept user type (roots and their closure), sorted
     * @param enums       every kept enum, sorted
     * @param symbols     the kept symbols, sorted
     * @param sourceTypes the number of user types in the source
     * @param sourceEnums the number of enums in the source
     * @param sourceSymbols the number of symbols in the source
     * @since 0.1
     */
    public record Result(ObjectNode isf, List<String> roots, List<String> types, List<String> enums,
            List<String> symbols, int sourceTypes, int sourceEnums, int sourceSymbols) {
    }

    /**
     * Trims one ISF document.
     *
     * @param isf    the parsed source
     * @param source names it in messages
     * @throws IOException naming the source when it is not ISF, has none of the root types, or
     *                     refers to a type it does not define
     */
    public Result trim(JsonNode isf, String source) throws IOException {
        for (String key : new String[] {"metadata", "base_types", "user_types", "enums", "symbols"}) {
            if (isf == null || !isf.path(key).isObject()) {
                throw new IOException(source + ": not an ISF file (no '" + key + "' object)");
            }
        }
        JsonNode userTypes = isf.get("user_types");
        JsonNode enums = isf.get("enums");
        JsonNode symbols = isf.get("symbols");

        TreeSet<String> roots = new TreeSet<>();
        userTypes.fieldNames().forEachRemaining(n -> {
            if (matches(n, rootTypes)) {
                roots.add(n);
            }
        });
        if (module != null) {
            return trimModule(isf, symbols, source);
        }
        if (roots.isEmpty()) {
            throw new IOException(source + ": has none of the root types (" + String.join(", ", rootTypes.subList(0,
                    Math.min(4, rootTypes.size()))) + ", …): not a kernel profile");
        }
        TreeSet<String> keptSymbols = new TreeSet<>();
        symbols.fieldNames().forEachRemaining(n -> {
            if (matches(n, rootSymbols)) {
                keptSymbols.add(n);
            }
        });

        TreeSet<String> keptTypes = new TreeSet<>();
        TreeSet<String> keptEnums = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String r : roots) {
            keptTypes.add(r);
            pending.add(r);
        }
        Closure closure = new Closure(userTypes, enums, keptTypes, keptEnums, pending, source);
        for (String s : keptSymbols) {
            JsonNode type = symbols.get(s).get("type");
            if (type != null) {
                closure.visit(type, "symbols." + s + ".type");
            }
        }
        while (!pending.isEmpty()) {
            String name = pending.poll();
            JsonNode fields = userTypes.get(name).path("fields");
            for (Map.Entry<String, JsonNode> f : fields.properties()) {
                closure.visit(f.getValue().get("type"), "user_types." + name + ".fields." + f.getKey());
            }
        }

        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode out = nodes.objectNode();
        out.set("metadata", isf.get("metadata").deepCopy());
        out.set("base_types", sorted(isf.get("base_types"), null));
        out.set("user_types", sorted(userTypes, keptTypes));
        out.set("enums", sorted(enums, keptEnums));
        out.set("symbols", sorted(symbols, keptSymbols));
        return new Result(out, List.copyOf(roots), List.copyOf(keptTypes), List.copyOf(keptEnums), List.copyOf(
                keptSymbols), userTypes.size(), enums.size(), symbols.size());
    }

    /** A driver's table: its listed symbols, and the metadata; it has no types (the base types are kept as they are). */
    private Result trimModule(JsonNode isf, JsonNode symbols, String source) throws IOException {
        TreeSet<String> kept = new TreeSet<>();
        symbols.fieldNames().forEachRemaining(n -> {
            if (matches(n, rootSymbols)) {
                kept.add(n);
            }
        });
        if (kept.isEmpty()) {
            throw new IOException(source + ": has none of the symbols Vestige reads from " + module + " ("
                    + String.join(", ", rootSymbols) + "): not a " + module + " table Vestige can use");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode out = nodes.objectNode();
        out.set("metadata", isf.get("metadata").deepCopy());
        out.set("base_types", sorted(isf.get("base_types"), null));
        out.set("user_types", nodes.objectNode());
        out.set("enums", nodes.objectNode());
        out.set("symbols", sorted(symbols, kept));
        return new Result(out, List.of(), List.of(), List.of(), List.copyOf(kept), isf.get("user_types").size(), isf
                .get("enums").size(), symbols.size());
    }

    /** @return true when a name matches one of the patterns (exact, or prefix when it ends in *) */
    static boolean matches(String name, Collection<String> patterns) {
        for (String p : patterns) {
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode sorted(JsonNode from, Collection<String> keep) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        TreeMap<String, JsonNode> byName = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            if (keep == null || keep.contains(e.getKey())) {
                byName.put(e.getKey(), e.getValue());
            }
        }
        byName.forEach((k, v) -> out.set(k, v.deepCopy()));
        return out;
    }

    /** Walks type references, adding every named struct and enum to the kept sets. */
    private record Closure(JsonNode userTypes, JsonNode enums, TreeSet<String> types, TreeSet<String> enumNames,
            Deque<String> pending, String source) {

        void visit(JsonNode type, String where) throws IOException {
            List<JsonNode> todo = new ArrayList<>();
            todo.add(type);
            boolean behindPointer = false;
            while (!todo.isEmpty()) {
                JsonNode t = todo.remove(todo.size() - 1);
                if (t == null || !t.isObject()) {
                    throw new IOException(source + ": " + where + " has no type");
                }
                String kind = t.path("kind").asText();
                switch (kind) {
                    case "struct", "union", "class" -> {
                        String name = strip(t.path("name").asText());
                        if (!userTypes.has(name)) {
                            if (behindPointer) {
                                continue; // an incomplete type: the PDB declares it but never defines it
                            }
                            throw new IOException(source + ": " + where + " refers to undefined type " + name);
                        }
                        if (types.add(name)) {
                            pending.add(name);
                        }
                    }
                    case "enum" -> {
                        String name = strip(t.path("name").asText());
                        if (!enums.has(name)) {
                            throw new IOException(source + ": " + where + " refers to undefined enum " + name);
                        }
                        enumNames.add(name);
                    }
                    case "pointer" -> {
                        behindPointer = true;
                        todo.add(t.get("subtype"));
                    }
                    case "array" -> todo.add(t.get("subtype"));
                    case "bitfield" -> todo.add(t.get("type"));
                    case "base", "function" -> {
                        // base types are all kept; functions name nothing
                    }
                    default -> throw new IOException(source + ": " + where + " has unknown type kind '" + kind + "'");
                }
            }
        }

        private static String strip(String name) {
            int bang = name.indexOf('!');
            return bang >= 0 ? name.substring(bang + 1) : name;
        }
    }
}
