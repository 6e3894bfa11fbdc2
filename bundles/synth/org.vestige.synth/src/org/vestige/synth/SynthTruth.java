package org.vestige.synth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.vestige.synth.internal.Json;

/**
 * Everything the synthesizer placed in an image, for tests to compare an analysis against; also
 * written as {@code truth.json}.
 *
 * @param build           the Windows build number written to the image
 * @param pdbName         the kernel's PDB name in its RSDS record
 * @param guid            the PDB GUID (the profile's real one when it has one)
 * @param age             the PDB age
 * @param kernelBase      virtual address of the kernel image
 * @param kernelSize      SizeOfImage of the kernel
 * @param dtb             the kernel (System) directory table base
 * @param selfMapIndex    the self-referencing top-level entry
 * @param lowStub         physical address of the _PROCESSOR_START_BLOCK, or -1 when absent
 * @param kdbg            virtual address of the KDBG block
 * @param kdbgEncoded     whether the KDBG block is encoded
 * @param invalidPteMask  the InvalidPteMask written to MiState (or assumed)
 * @param globals         virtual addresses of every kernel global placed, by symbol name
 * @param symbolRvas      RVAs of the globals (what the image's ISF carries)
 * @param processes       the processes on the active-process list, in list order
 * @param terminated      processes that exited: unlinked from the list, their _EPROCESS still in pool memory
 * @param kernelModules   the modules on PsLoadedModuleList, in list order
 * @param translations    sample virtual-to-physical mappings of the kernel space
 * @param smear           the damage done, or null
 * @param pagingFiles     the _MMPAGING_FILE records the kernel points at, by page-file number
 * @param compressedStore the memory-compression store and every page held in it, or null when the image has none
 * @param hives           the hives loaded in memory, or null
 * @param vbs             what Virtual Secure Mode left in the image, or null when it was not running
 * @param tokens          the processes' primary tokens, or why none were written
 * @param handles         the object type table and each process's handle table
 * @param services        the service records in services.exe and the SYSTEM hive's service keys
 * @param threads         every process's threads and every image VAD against the loader lists
 * @param files           every file object in pool memory, and the pool blocks tagged 'File' that hold none
 * @param hidden          running processes unlinked from the active-process list (their links pointing at
 *                        themselves, as rootkits leave them), their _EPROCESS in pool memory; empty without the
 *                        malware plants
 * @param network         tcpip.sys's identity and its network endpoints in pool memory and in its tables
 * @param rootkit         every loader entry and driver object in pool memory and the system service table,
 *                        with the rogue driver and hooked service planted
 * @param malfind         the executable private regions and hollowed processes planted
 * @param markers         the text marker placed in process memory for memory scanners, copy by copy
 * @param processFields   the _EPROCESS fields of a running system beyond the process records (ExitStatus,
 *                        ObjectTable, SeAuditProcessCreationInfo.ImageFileName, Protection)
 * @param times           the image's system time and the TimeDateStamp of every PE header written
 * @param remnants        stale _EPROCESS copies a dense image's free memory holds, as a physical scan meets them;
 *                        empty in a sparse image
 * @since 0.1
 */
public record SynthTruth(int build, String pdbName, String guid, int age, long kernelBase, int kernelSize, long dtb,
        int selfMapIndex, long lowStub, long kdbg, boolean kdbgEncoded, long invalidPteMask, Map<String, Long> globals,
        Map<String, Long> symbolRvas, List<Process> processes, List<Process> terminated, List<Module> kernelModules,
        List<Translation> translations, SmearInfo smear, List<PagingFile> pagingFiles,
        CompressedStoreInfo compressedStore, HiveMemoryWriter.Truth hives,
        Vbs vbs, TokenTruth tokens, HandleTruth handles, ServiceTruth services,
        ThreadTruth threads, FileTruth files, List<Process> hidden, NetTruth network, RootkitTruth rootkit,
        MalfindTruth malfind, MarkerTruth markers, ProcessFieldTruth processFields,
        TimeTruth times, List<Remnant> remnants) {

    /**
     * A stale copy of a process object in free memory: the pool block of an _EPROCESS freed long ago, its frame
     * handed back to the free list and not reused yet. No kernel address maps it and no list leads to it.
     *
     * @param physical   the physical address of its pool header (tagged 'Proc')
     * @param pid        the UniqueProcessId it holds
     * @param name       the ImageFileName it holds
     * @param createFileTime its CreateTime (FILETIME)
     * @param exitFileTime   its ExitTime (FILETIME)
     * @param plausible  whether it holds a plausible _EPROCESS, so that a physical scan reports it as an exited
     *                   process; false for a torn copy (part of it overwritten) that a scan must reject
     * @param damage     what makes a torn copy implausible, or null
     * @since 0.1
     */
    public record Remnant(long physical, long pid, String name, long createFileTime, long exitFileTime,
            boolean plausible, String damage) {
    }

    /**
     * What Virtual Secure Mode left in the image.
     *
     * @param vslVsmEnabled  the virtual address of the byte {@code VslVsmEnabled} (set to 1)
     * @param secureFlag     the _EPROCESS field set on secure processes ({@code Pcb.SecureState.SecureHandle}
     *                       with bit 0, SecureProcess, set; or {@code Pcb.SecurePid}), or null when the profile
     *                       has neither
     * @param secureBoot     whether {@code _KUSER_SHARED_DATA.DbgSecureBootEnabled} was set
     * @param registry       the values written to SYSTEM, by path under the current control set
     *                       ({@code Control\DeviceGuard\EnableVirtualizationBasedSecurity}, …); empty without
     *                       hives
     * @param isolated       Secure System and the IUM processes, as a VTL0 acquisition sees them
     * @since 0.1
     */
    public record Vbs(long vslVsmEnabled, String secureFlag, boolean secureBoot, Map<String, Long> registry,
            List<IsolatedProcess> isolated) {
    }

    /**
     * A process whose memory belongs to VTL1.
     *
     * @param pid        its process id
     * @param ppid       its parent's
     * @param name       Secure System or the trustlet's image name
     * @param secureFlag whether its _KPROCESS says secure process
     * @param userPages  the user-mode pages its VTL0 page tables map
     * @param withData   of those, the pages that hold data (the shared user page)
     * @param zeroPages  the private pages the acquisition read as zeros, in address order
     * @since 0.1
     */
    public record IsolatedProcess(long pid, long ppid, String name, boolean secureFlag, long userPages,
            long withData, List<Long> zeroPages) {
    }

    /**
     * One process as placed.
     *
     * @param createFileTime the raw FILETIME in _EPROCESS.CreateTime
     * @param peb            the PEB address, or 0 for processes without user space
     * @param exitFileTime   the raw FILETIME in _EPROCESS.ExitTime, or 0 while running
     * @param imageBase      PEB.ImageBaseAddress, or 0
     * @param currentDirectory ProcessParameters.CurrentDirectory.DosPath, or null when not written
     * @param environment    the environment block: name=value strings each ended by NUL, then a NUL
     * @param environmentPagefileOffset where the environment block's page was paged out to in
     *                       pagefile.sys (slot 0), or -1 when it is resident
     * @param vads           the VAD tree's nodes in address order
     * @param imageSha256    SHA-256 (lower-case hex) of the executable's PE image as laid out in memory:
     *                       headers and sections at their RVAs, SizeOfImage bytes; null without user space
     * @param imagePages     every page of the executable's image in address order with the provenance kind a
     *                       read must report, then pages of shared DLLs placed to be found through the VAD
     * @since 0.1
     */
    public record Process(long pid, long ppid, String name, long eprocess, long dtb, long createFileTime,
            Instant createTime, long exitFileTime, long peb, int threads, String commandLine, String imagePath,
            long imageBase, String currentDirectory, String environment, long environmentPagefileOffset,
            List<Module> modules, List<Vad> vads, String imageSha256, List<ImagePage> imagePages) {
    }

    /**
     * One page of a mapped image as placed.
     *
     * @param module     the module's name (e.g. {@code notepad.exe}, {@code ntdll.dll})
     * @param va         the page's virtual address
     * @param kind       the {@link org.vestige.core.layer.PageProvenance#kind()} a read reports when every
     *                   paging file is supplied: {@code ram}, {@code transition}, {@code pagefile} or
     *                   {@code compressed} (held in the memory-compression store; see
     *                   {@link CompressedStoreInfo#pages()} for its key), or {@code file} (a shared DLL page
     *                   in no memory at all: its prototype PTE points at the file's subsection)
     * @param slot       the page-file number of a paged-out page (2, the virtual store, for a compressed
     *                   one), else -1
     * @param fileOffset its byte offset in that paging file, or in the mapped file for a {@code file} page,
     *                   else -1 (also for a compressed page)
     * @param viaVad     whether the page's own PTE only says "look in the VAD" and its prototype PTE is
     *                   found through _MMVAD.FirstPrototypePte / Subsection.SubsectionBase
     * @param sha256     SHA-256 (lower-case hex) of the page's 4096 bytes, or null for a {@code file} page
     * @since 0.1
     */
    public record ImagePage(String module, long va, String kind, int slot, long fileOffset, boolean viaVad,
            String sha256) {
    }

    /**
     * One _MMPAGING_FILE as placed.
     *
     * @param slot         PageFileNumber
     * @param name         PageFileName
     * @param sizePages    Size, in pages
     * @param swapfile     WsSwapPagefile
     * @param virtualStore VirtualStorePagefile
     * @param address      virtual address of the structure
     * @since 0.1
     */
    public record PagingFile(int slot, String name, long sizePages, boolean swapfile, boolean virtualStore,
            long address) {
    }

    /**
     * One VAD as placed.
     *
     * @param node         virtual address of the _MMVAD_SHORT / _MMVAD
     * @param start        first byte of the range
     * @param end          last byte of the range
     * @param protection   the MM_* protection index in VadFlags.Protection
     * @param vadType      VadFlags.VadType (0 none, 2 image map)
     * @param privateMemory VadFlags.PrivateMemory
     * @param commitCharge committed pages charged
     * @param fileName     _FILE_OBJECT.FileName of a mapped image, or null (private memory, or a profile
     *                     without the types to place it)
     * @since 0.1
     */
    public record Vad(long node, long start, long end, int protection, int vadType, boolean privateMemory,
            long commitCharge, String fileName) {
    }

    /**
     * A loaded module (user DLL/EXE or kernel driver).
     *
     * @since 0.1
     */
    public record Module(String name, String path, long base, int size, long entry) {
    }

    /**
     * A sample translation: {@code va} maps to {@code pa} through a page of {@code pageSize}.
     *
     * @since 0.1
     */
    public record Translation(long va, long pa, long pageSize, String what) {
    }

    /**
     * The smear applied.
     *
     * @param eprocess  the _EPROCESS whose link, fields or VAD tree were damaged, or 0
     * @param pid       its pid, or -1
     * @param structure the damaged structure itself (an _EPROCESS, a loader entry, a VAD node)
     * @since 0.1
     */
    public record SmearInfo(SynthOptions.Smear kind, long eprocess, long pid, long structure, String detail) {
    }

    /**
     * The memory-compression store as placed (see the store layout Vestige reads: SmGlobals, the store
     * manager, the KeyToStoreTree, stores with their PagesTree, chunks of page records and regions in
     * MemCompression's user space).
     *
     * @param kind             {@code INTACT} or {@code BROKEN_NODE}
     * @param symbol           the name SmGlobals is placed under in {@link #symbolRvas()} and the image's ISF:
     *                         the profile's {@code ?SmGlobals@@3U_SM_GLOBALS@@A} when it has that symbol,
     *                         else {@code SmGlobals}
     * @param smGlobals        virtual address of SmGlobals
     * @param discovery        how a reader without the symbol finds SmGlobals first: {@code CACHEALI} (a
     *                         pointer in the first page of the kernel's CACHEALI section; builds below 22601)
     *                         or {@code signature} (the code signature in .text, present in every build)
     * @param cacheAli         virtual address of the kernel's CACHEALI section (SmGlobals lies in its first page)
     * @param signature        virtual address of the code signature's first byte ({@code 4C 8B 02 48 8D ...})
     * @param manager          the store manager: SmGlobals below 22601, else the pool block SmGlobals points into
     * @param virtualStoreSlot the virtual store's page-file number: PageFileLow of every compressed PTE
     * @param algorithm        {@code xpress} below 26100, {@code lz4} from 26100
     * @param keyToStoreTree   the KeyToStoreTree's root node
     * @param keyToStoreDepth  its number of levels (1: the root is a leaf)
     * @param memCompressionPid the pid of MemCompression, which owns every store
     * @param memCompression   its _EPROCESS
     * @param stores           the stores, by index
     * @param pages            every compressed page: those of notepad.exe, lsass.exe and explorer.exe, then the
     *                         bulk pages of explorer.exe
     * @since 0.1
     */
    public record CompressedStoreInfo(SynthOptions.CompressedStore kind, String symbol, long smGlobals,
            String discovery, long cacheAli, long signature, long manager, int virtualStoreSlot, String algorithm,
            long keyToStoreTree, int keyToStoreDepth, long memCompressionPid, long memCompression,
            List<Store> stores, List<CompressedPage> pages) {
    }

    /**
     * One store (SMKM_STORE) as placed.
     *
     * @param index            its store index (the KeyToStoreTree value; metadata array {@code index >> 5})
     * @param address          the SMKM_STORE (page aligned)
     * @param metadata         its _SMKM_STORE_METADATA entry
     * @param owner            the _EPROCESS in the metadata entry and at the store's OwnerProcess
     * @param pagesTree        the PagesTree's root node
     * @param pagesTreeDepth   its number of levels
     * @param bitValue         ChunkMetaData.BitValue: a RegionKey's chunk number is {@code RegionKey >> bitValue}
     * @param chunkPageHeaderSize ChunkMetaData.ChunkPageHeaderSize
     * @param regionArray      the array of region pointers the store's CompressedRegionPtrArray points at
     * @param regions          the region array's entries by region index (user addresses in MemCompression,
     *                         0 for an unused slot)
     * @param regionPages      the region pages that are not resident: paged out to pagefile.sys or in transition
     * @param damagedNode      the PagesTree leaf overwritten with garbage, or 0
     * @since 0.1
     */
    public record Store(int index, long address, long metadata, long owner, long pagesTree, int pagesTreeDepth,
            int bitValue, int chunkPageHeaderSize, long regionArray, List<Long> regions, List<RegionPage> regionPages,
            long damagedNode) {

        /** @return the number of regions in use */
        public int regionCount() {
            return (int) regions.stream().filter(r -> r != 0).count();
        }
    }

    /**
     * A page of a compressed region that is not in a valid PTE of MemCompression.
     *
     * @param va         its user address in MemCompression
     * @param kind       {@code pagefile} (page-file number {@code slot}) or {@code transition} (frame {@code pa})
     * @param pa         the frame of a transition page, else -1
     * @param slot       the page-file number of a paged-out page, else -1
     * @param fileOffset its byte offset in that paging file, else -1
     * @since 0.1
     */
    public record RegionPage(long va, String kind, long pa, int slot, long fileOffset) {
    }

    /**
     * One page held in the store.
     *
     * @param pid            the process whose PTE names it
     * @param va             its virtual address in that process
     * @param pte            the raw PTE: software, PageFileLow = the virtual store, PageFileHigh = the key's low part
     * @param swizzled       whether the PTE is swizzled (InvalidPteMask applied, SwizzleBit clear)
     * @param key            the store key (the KeyToStoreTree and PagesTree key)
     * @param store          the index of the store holding it
     * @param regionKey      what the PagesTree maps the key to (the first page record reached)
     * @param region         the region index of its data, or -1 for a zero page
     * @param regionOffset   the byte offset of its data in that region, or -1
     * @param storedAs       {@code xpress}, {@code lz4}, {@code raw} (4096 bytes as they are) or {@code zero}
     *                       (no data: a page of zeros)
     * @param size           the page record's Size: the compressed length, 0x1000 for raw, 0 for zero
     * @param moved          how many moved records (Key 0xFFFFFFFF) lead to its page record: 0, 1 or 2
     * @param regionPagedOut whether any of its data lies in a region page paged out to pagefile.sys
     * @param damaged        whether its key lies under the damaged PagesTree node (the page cannot be read)
     * @param sha256         SHA-256 (lower-case hex) of the page's 4096 bytes
     * @since 0.1
     */
    public record CompressedPage(long pid, long va, long pte, boolean swizzled, long key, int store, long regionKey,
            int region, long regionOffset, String storedAs, int size, int moved, boolean regionPagedOut,
            boolean damaged, String sha256) {
    }

    /** @return the truth as JSON text */
    public String toJson() {
        Json j = new Json().begin('{');
        j.key("build").value(build).key("pdb").open('{').key("name").value(pdbName).key("guid").value(guid)
                .key("age").value(age).end('}');
        j.key("kernelBase").hex(kernelBase).key("kernelSize").hex(kernelSize).key("dtb").hex(dtb)
                .key("selfMapIndex").hex(selfMapIndex).key("lowStub").value(lowStub < 0 ? null : hexString(lowStub))
                .key("kdbg").hex(kdbg).key("kdbgEncoded").value(kdbgEncoded).key("invalidPteMask").hex(invalidPteMask);
        j.key("globals").open('{');
        new java.util.TreeMap<>(globals).forEach((k, v) -> j.key(k).open('{').key("va").hex(v).key("rva").hex(symbolRvas.getOrDefault(k, -1L))
                .end('}'));
        j.end('}');
        j.key("processes").open('[');
        for (Process p : processes) {
            j.open('{').key("pid").value(p.pid()).key("ppid").value(p.ppid()).key("name").value(p.name())
                    .key("eprocess").hex(p.eprocess()).key("dtb").hex(p.dtb()).key("createTime")
                    .value(p.createTime().toString()).key("createFileTime").value(p.createFileTime())
                    .key("peb").hex(p.peb()).key("threads").value(p.threads()).key("commandLine")
                    .value(p.commandLine()).key("imagePath").value(p.imagePath()).key("imageSha256")
                    .value(p.imageSha256());
            j.key("imagePages").open('[');
            for (ImagePage g : p.imagePages()) {
                j.open('{').key("module").value(g.module()).key("va").hex(g.va()).key("kind").value(g.kind())
                        .key("slot").value(g.slot()).key("fileOffset").value(g.fileOffset() < 0 ? null
                                : hexString(g.fileOffset())).key("viaVad").value(g.viaVad()).key("sha256")
                        .value(g.sha256()).end('}');
            }
            j.end(']');
            modules(j, "modules", p.modules());
            j.key("vads").open('[');
            for (Vad v : p.vads()) {
                j.open('{').key("node").hex(v.node()).key("start").hex(v.start()).key("end").hex(v.end())
                        .key("protection").value(v.protection()).key("vadType").value(v.vadType())
                        .key("private").value(v.privateMemory()).key("commit").value(v.commitCharge())
                        .key("file").value(v.fileName()).end('}');
            }
            j.end(']');
            j.end('}');
        }
        j.end(']');
        j.key("terminated").open('[');
        for (Process p : terminated) {
            j.open('{').key("pid").value(p.pid()).key("name").value(p.name()).key("eprocess").hex(p.eprocess())
                    .key("exitFileTime").value(p.exitFileTime()).end('}');
        }
        j.end(']');
        modules(j, "kernelModules", kernelModules);
        j.key("translations").open('[');
        for (Translation t : translations) {
            j.open('{').key("va").hex(t.va()).key("pa").hex(t.pa()).key("pageSize").hex(t.pageSize()).key("what")
                    .value(t.what()).end('}');
        }
        j.end(']');
        if (smear != null) {
            j.key("smear").open('{').key("kind").value(smear.kind().name()).key("eprocess").hex(smear.eprocess())
                    .key("pid").value(smear.pid()).key("structure").hex(smear.structure()).key("detail").value(smear.detail()).end('}');
        }
        j.key("pagingFiles").open('[');
        for (PagingFile f : pagingFiles) {
            j.open('{').key("slot").value(f.slot()).key("name").value(f.name()).key("sizePages").value(f.sizePages())
                    .key("swapfile").value(f.swapfile()).key("virtualStore").value(f.virtualStore()).key("address")
                    .hex(f.address()).end('}');
        }
        j.end(']');
        if (compressedStore != null) {
            compressedStore(j, compressedStore);
        }
        if (hives != null) {
            j.key("hives");
            hives.toJson(j);
        }
        if (vbs != null) {
            j.key("vbs").open('{').key("vslVsmEnabled").hex(vbs.vslVsmEnabled()).key("secureFlag")
                    .value(vbs.secureFlag()).key("secureBoot").value(vbs.secureBoot()).key("registry").open('{');
            vbs.registry().forEach((k, v) -> j.key(k).value(v));
            j.end('}').key("isolated").open('[');
            for (IsolatedProcess p : vbs.isolated()) {
                j.open('{').key("pid").value(p.pid()).key("ppid").value(p.ppid()).key("name").value(p.name())
                        .key("secureFlag").value(p.secureFlag()).key("userPages").value(p.userPages())
                        .key("withData").value(p.withData()).key("zeroPages").value(p.zeroPages().size()).end('}');
            }
            j.end(']').end('}');
        }
        if (tokens != null) {
            j.key("tokens");
            tokens.toJson(j);
        }
        if (handles != null) {
            j.key("handles");
            handles.toJson(j);
        }
        if (services != null) {
            j.key("services");
            services.toJson(j);
        }
        if (threads != null) {
            j.key("threads");
            threads.toJson(j);
        }
        if (files != null) {
            j.key("files");
            files.toJson(j);
        }
        j.key("hidden").open('[');
        for (Process p : hidden) {
            j.open('{').key("pid").value(p.pid()).key("ppid").value(p.ppid()).key("name").value(p.name()).key(
                    "eprocess").hex(p.eprocess()).key("planted").value(true).end('}');
        }
        j.end(']');
        if (network != null) {
            j.key("network");
            network.toJson(j);
        }
        if (rootkit != null) {
            j.key("rootkit");
            rootkit.toJson(j);
        }
        if (malfind != null) {
            j.key("malfind");
            malfind.toJson(j);
        }
        if (markers != null) {
            j.key("markers");
            markers.toJson(j);
        }
        if (processFields != null) {
            j.key("processFields");
            processFields.toJson(j);
        }
        if (times != null) {
            j.key("times");
            times.toJson(j);
        }
        if (!remnants.isEmpty()) {
            j.key("remnants").open('[');
            for (Remnant r : remnants) {
                j.open('{').key("physical").hex(r.physical()).key("pid").value(r.pid()).key("name").value(r.name())
                        .key("createFileTime").value(r.createFileTime()).key("exitFileTime").value(r.exitFileTime())
                        .key("plausible").value(r.plausible());
                if (r.damage() != null) {
                    j.key("damage").value(r.damage());
                }
                j.end('}');
            }
            j.end(']');
        }
        return j.end('}').toString();
    }

    private static void compressedStore(Json j, CompressedStoreInfo c) {
        j.key("compressedStore").open('{').key("kind").value(c.kind().name()).key("symbol").value(c.symbol())
                .key("smGlobals").hex(c.smGlobals()).key("discovery").value(c.discovery()).key("cacheAli")
                .hex(c.cacheAli()).key("signature").hex(c.signature()).key("manager").hex(c.manager())
                .key("virtualStoreSlot").value(c.virtualStoreSlot()).key("algorithm").value(c.algorithm())
                .key("keyToStoreTree").hex(c.keyToStoreTree()).key("keyToStoreDepth").value(c.keyToStoreDepth())
                .key("memCompressionPid").value(c.memCompressionPid()).key("memCompression").hex(c.memCompression());
        j.key("stores").open('[');
        for (Store s : c.stores()) {
            j.open('{').key("index").value(s.index()).key("address").hex(s.address()).key("metadata")
                    .hex(s.metadata()).key("owner").hex(s.owner()).key("pagesTree").hex(s.pagesTree())
                    .key("pagesTreeDepth").value(s.pagesTreeDepth()).key("bitValue").value(s.bitValue())
                    .key("chunkPageHeaderSize").hex(s.chunkPageHeaderSize()).key("regionArray").hex(s.regionArray())
                    .key("regionCount").value(s.regionCount()).key("regions").open('[');
            for (long r : s.regions()) {
                j.hex(r);
            }
            j.end(']').key("regionPages").open('[');
            for (RegionPage p : s.regionPages()) {
                j.open('{').key("va").hex(p.va()).key("kind").value(p.kind()).key("pa").value(p.pa() < 0 ? null
                        : hexString(p.pa())).key("slot").value(p.slot()).key("fileOffset").value(p.fileOffset() < 0
                                ? null : hexString(p.fileOffset())).end('}');
            }
            j.end(']').key("damagedNode").value(s.damagedNode() == 0 ? null : hexString(s.damagedNode())).end('}');
        }
        j.end(']');
        j.key("pages").open('[');
        for (CompressedPage p : c.pages()) {
            j.open('{').key("pid").value(p.pid()).key("va").hex(p.va()).key("pte").hex(p.pte()).key("swizzled")
                    .value(p.swizzled()).key("key").hex(p.key()).key("store").value(p.store()).key("regionKey")
                    .hex(p.regionKey()).key("region").value(p.region()).key("regionOffset").value(p.regionOffset() < 0
                            ? null : hexString(p.regionOffset())).key("storedAs").value(p.storedAs()).key("size")
                    .hex(p.size()).key("moved").value(p.moved()).key("regionPagedOut").value(p.regionPagedOut())
                    .key("damaged").value(p.damaged()).key("sha256").value(p.sha256()).end('}');
        }
        j.end(']').end('}');
    }

    private static String hexString(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static void modules(Json j, String key, List<Module> modules) {
        j.key(key).open('[');
        for (Module m : modules) {
            j.open('{').key("name").value(m.name()).key("path").value(m.path()).key("base").hex(m.base())
                    .key("size").hex(m.size()).end('}');
        }
        j.end(']');
    }
}
