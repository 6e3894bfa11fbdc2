package org.vestige.testing.synth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 * @since 0.1
 */
public record SynthTruth(int build, String pdbName, String guid, int age, long kernelBase, int kernelSize, long dtb,
        int selfMapIndex, long lowStub, long kdbg, boolean kdbgEncoded, long invalidPteMask, Map<String, Long> globals,
        Map<String, Long> symbolRvas, List<Process> processes, List<Process> terminated, List<Module> kernelModules,
        List<Translation> translations, SmearInfo smear, List<PagingFile> pagingFiles) {

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
     *                   paging file is supplied: {@code ram}, {@code transition} or {@code pagefile}
     * @param slot       the page-file number of a paged-out page, else -1
     * @param fileOffset its byte offset in that paging file, else -1
     * @param viaVad     whether the page's own PTE only says "look in the VAD" and its prototype PTE is
     *                   found through _MMVAD.FirstPrototypePte / Subsection.SubsectionBase
     * @param sha256     SHA-256 (lower-case hex) of the page's 4096 bytes
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

    /** @return the truth as JSON text */
    public String toJson() {
        Json j = new Json().begin('{');
        j.key("build").value(build).key("pdb").open('{').key("name").value(pdbName).key("guid").value(guid)
                .key("age").value(age).end('}');
        j.key("kernelBase").hex(kernelBase).key("kernelSize").hex(kernelSize).key("dtb").hex(dtb)
                .key("selfMapIndex").hex(selfMapIndex).key("lowStub").value(lowStub < 0 ? null : hexString(lowStub))
                .key("kdbg").hex(kdbg).key("kdbgEncoded").value(kdbgEncoded).key("invalidPteMask").hex(invalidPteMask);
        j.key("globals").open('{');
        globals.forEach((k, v) -> j.key(k).open('{').key("va").hex(v).key("rva").hex(symbolRvas.getOrDefault(k, -1L))
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
        return j.end('}').toString();
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
