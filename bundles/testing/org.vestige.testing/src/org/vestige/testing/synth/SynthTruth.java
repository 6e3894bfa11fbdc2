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
 * @since 0.1
 */
public record SynthTruth(int build, String pdbName, String guid, int age, long kernelBase, int kernelSize, long dtb,
        int selfMapIndex, long lowStub, long kdbg, boolean kdbgEncoded, long invalidPteMask, Map<String, Long> globals,
        Map<String, Long> symbolRvas, List<Process> processes, List<Process> terminated, List<Module> kernelModules,
        List<Translation> translations, SmearInfo smear) {

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
     * @since 0.1
     */
    public record Process(long pid, long ppid, String name, long eprocess, long dtb, long createFileTime,
            Instant createTime, long exitFileTime, long peb, int threads, String commandLine, String imagePath,
            long imageBase, String currentDirectory, String environment, long environmentPagefileOffset,
            List<Module> modules, List<Vad> vads) {
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
                    .value(p.commandLine()).key("imagePath").value(p.imagePath());
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
