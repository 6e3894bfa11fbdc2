package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.List;

import org.vestige.core.types.Profile;
import org.vestige.synth.FileTruth;
import org.vestige.synth.PageTableBuilder;

/**
 * Writes file objects as the I/O manager leaves them in pool memory and records every file object any
 * writer placed: each {@code _FILE_OBJECT} with an empty {@code IrpList} (the I/O manager initialises it
 * so when it creates the object, and it stays empty while no IRP is queued), files with
 * {@code _SECTION_OBJECT_POINTERS} whose DataSectionObject and ImageSectionObject point at control areas
 * (laid out page by page by {@link FileSectionWriter}) and whose SharedCacheMap points at a
 * {@code _SHARED_CACHE_MAP} with one view mapped through a {@code _VACB}; one file object freed (its header's counts at zero, nothing refers to it);
 * one whose FileName buffer and SectionObjectPointer are wild; and a pool block tagged 'File' whose body
 * is no file object.
 */
final class FileObjectWriter {

    static final long TAG_FILE = 0x656c6946L; // 'File'
    private static final long TAG_CONTROL_AREA = 0x61436d4dL; // 'MmCa'
    private static final long TAG_IMAGE_CONTROL_AREA = 0x69436d4dL; // 'MmCi'
    private static final long TAG_SEGMENT = 0x6d536d4dL; // 'MmSm'
    private static final long TAG_CACHE_MAP = 0x63536343L; // 'CcSc'
    private static final long TAG_VACB = 0x61566343L; // 'CcVa'
    private static final long TAG_FCB = 0x73664e4eL; // 'NtFs'
    /** A non-canonical pointer: what smear or a use-after-free leaves in a pointer field. */
    private static final long WILD = 0x4141414141414141L;
    /** A user-mode address, which no kernel structure points its section object pointers at. */
    private static final long WILD_USER = 0x0000000041414140L;
    private static final String VOLUME = "HarddiskVolume3";

    /** One file of the writer's own: its name, access flags and which section pointers it has. */
    private record Spec(String name, String access, boolean data, boolean image, boolean cache) {
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("\\Users\\Public\\Documents\\budget-2026.xlsx", "RW-r--", true, false, true),
            new Spec("\\Windows\\System32\\drivers\\etc\\hosts", "R--r--", true, false, false),
            new Spec("\\Program Files\\Sysinternals\\procmon64.exe", "R--r-d", true, true, false),
            new Spec("\\Users\\Public\\Downloads\\setup.log", "-W-rw-", false, false, true),
            new Spec("\\Windows\\Prefetch\\CMD.EXE-4A81B364.pf", "RWD---", true, true, true));

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;
    private final List<FileTruth.Cached> cached = new ArrayList<>();

    FileObjectWriter(Machine machine) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
    }

    /** @return whether the profile describes file objects with section object pointers, control areas and cache maps */
    private static boolean supported(Profile profile) {
        return profile.has("_FILE_OBJECT", "SectionObjectPointer") && profile.struct("_SECTION_OBJECT_POINTERS")
                .isPresent() && profile.struct("_CONTROL_AREA").isPresent() && profile.struct("_SHARED_CACHE_MAP")
                        .isPresent();
    }

    /**
     * Lays out the data and image sections of the writer's own files, page by page in every state, before the
     * compressed store is written; {@link #write} later ties them to the file objects.
     */
    static void layOutSections(Machine machine) {
        if (!supported(machine.profile) || !FileSectionWriter.supported(machine.profile)) {
            return;
        }
        FileSectionWriter sections = new FileSectionWriter(machine);
        for (int i = 0; i < SPECS.size(); i++) {
            Spec s = SPECS.get(i);
            if (s.data()) {
                sections.layOut(s.name(), false, 9 + i);
            }
            if (s.image()) {
                sections.layOut(s.name(), true, 6);
            }
        }
        machine.fileSections = sections;
    }

    /** Puts the empty IrpList into a file object being laid out at {@code file}. */
    static void emptyLists(StructBuffer f, long file) {
        if (f.has("IrpList")) {
            long list = file + f.offset("IrpList");
            f.putList("IrpList", list, list);
        }
    }

    /**
     * Records a file object another writer placed, without access flags.
     *
     * @param image whether its section object pointers hold an ImageSectionObject (and nothing else)
     */
    static void placed(Machine machine, long file, String device, String name, boolean image) {
        machine.fileObjects.add(new FileTruth.File(file, -1, device, name, "------", false, image, false, false, List
                .of()));
    }

    /**
     * Gives a file object being laid out in {@code f} section object pointers whose ImageSectionObject is the
     * control area {@code ca}, where the profile describes them.
     *
     * @return whether it did
     */
    static boolean imageSection(Machine machine, StructBuffer f, long ca) {
        if (!supported(machine.profile)) {
            return false;
        }
        StructBuffer p = new StructBuffer(machine.profile, "_SECTION_OBJECT_POINTERS");
        long at = machine.poolAlloc(p.size(), TAG_FCB);
        p.put("ImageSectionObject", ca);
        machine.kernel.write(at, p.bytes());
        f.put("SectionObjectPointer", at);
        return true;
    }

    /**
     * Writes the writer's own file objects, the freed one, the damaged one and the junk block, then the
     * truth of every file object placed so far.
     *
     * @param objects the object writer the handles were written with (for the volume's device object), or
     *                null when the image has no object types
     */
    FileTruth write(ObjectWriter objects) {
        List<Long> junk = new ArrayList<>();
        String skipped = null;
        if (!supported(profile)) {
            skipped = "profile " + profile.source() + " lacks _FILE_OBJECT.SectionObjectPointer, "
                    + "_SECTION_OBJECT_POINTERS, _CONTROL_AREA or _SHARED_CACHE_MAP";
        } else {
            long device = objects != null ? objects.device(VOLUME) : 0;
            String devicePath = objects != null ? "\\Device\\" + VOLUME : "";
            for (Spec s : SPECS) {
                file(device, devicePath, s, false, false);
            }
            file(device, devicePath, new Spec("\\Windows\\Temp\\~DF3A1C.tmp", "RWDrwd", false, false, false), true,
                    false);
            file(device, devicePath, new Spec("\\Windows\\Temp\\wild.dat", "R-----", false, false, false), false,
                    true);
            junk.add(junkBlock());
        }
        List<FileTruth.File> files = new ArrayList<>();
        for (FileTruth.File f : machine.fileObjects) {
            files.add(new FileTruth.File(f.address(), kernel.translate(f.address()), f.device(), f.name(), f
                    .access(), f.dataSection(), f.imageSection(), f.sharedCacheMap(), f.freed(), f.wild()));
        }
        return new FileTruth(skipped, files, junk, machine.fileSections != null ? machine.fileSections.sections()
                : List.of(), cached);
    }

    private void file(long device, String devicePath, Spec s, boolean freed, boolean wild) {
        long size = profile.requireStruct("_FILE_OBJECT").size();
        long file = machine.objectAlloc(size, TAG_FILE, "File");
        StructBuffer f = new StructBuffer(profile, "_FILE_OBJECT");
        f.put("Type", 5).put("Size", size).put("DeviceObject", device);
        emptyLists(f, file);
        String[] flags = {"ReadAccess", "WriteAccess", "DeleteAccess", "SharedRead", "SharedWrite", "SharedDelete"};
        for (int i = 0; i < flags.length; i++) {
            f.putIfPresent(flags[i], s.access().charAt(i) == '-' ? 0 : 1);
        }
        long name = wild ? WILD : machine.poolString(s.name());
        f.putUnicode("FileName", s.name().length() * 2, s.name().length() * 2 + 2, name);
        f.put("SectionObjectPointer", wild ? WILD_USER : sectionPointers(file, s));
        kernel.write(file, f.bytes());
        if (freed) {
            // the last reference is gone: the object manager has dropped both counts
            long header = file - profile.offset("_OBJECT_HEADER", "Body");
            StructBuffer o = new StructBuffer(profile, "_OBJECT_HEADER");
            for (String count : new String[] {"PointerCount", "HandleCount"}) {
                if (o.has(count)) {
                    kernel.writeLong(header + o.offset(count), 0);
                }
            }
        }
        machine.fileObjects.add(new FileTruth.File(file, -1, devicePath, wild ? null : s.name(), s.access(), s
                .data(), s.image(), s.cache(), freed, wild ? List.of("FileName", "SectionObjectPointer") : List.of()));
    }

    /** @return the file's _SECTION_OBJECT_POINTERS (held in its file system's control block), or 0 for none */
    private long sectionPointers(long file, Spec s) {
        if (!s.data() && !s.image() && !s.cache()) {
            return 0;
        }
        StructBuffer p = new StructBuffer(profile, "_SECTION_OBJECT_POINTERS");
        long at = machine.poolAlloc(p.size(), TAG_FCB);
        p.put("DataSectionObject", s.data() ? controlArea(file, false, s.name()) : 0);
        p.put("ImageSectionObject", s.image() ? controlArea(file, true, s.name()) : 0);
        p.put("SharedCacheMap", s.cache() ? cacheMap(file, s.name()) : 0);
        kernel.write(at, p.bytes());
        return at;
    }

    /**
     * The control area of the file's section laid out page by page, or else one referring back to the file
     * with its segment and its first subsection right behind it.
     */
    private long controlArea(long file, boolean image, String name) {
        if (machine.fileSections != null && machine.fileSections.has(name, image)) {
            return machine.fileSections.attach(name, image, file);
        }
        long caSize = profile.requireStruct("_CONTROL_AREA").size();
        long ssSize = profile.struct("_SUBSECTION").map(x -> x.size()).orElse(0L);
        long ca = machine.poolAlloc(caSize + ssSize, image ? TAG_IMAGE_CONTROL_AREA : TAG_CONTROL_AREA);
        StructBuffer c = new StructBuffer(profile, "_CONTROL_AREA");
        c.put("FilePointer.Value", file | (1 + machine.random.nextInt(15)));
        c.putIfPresent("NumberOfSectionReferences", 1);
        c.putIfPresent(image ? "u.Flags.Image" : "u.Flags.File", 1);
        if (profile.struct("_SEGMENT").isPresent()) {
            long segment = machine.poolAlloc(profile.requireStruct("_SEGMENT").size(), TAG_SEGMENT);
            StructBuffer g = new StructBuffer(profile, "_SEGMENT");
            g.putIfPresent("ControlArea", ca);
            kernel.write(segment, g.bytes());
            c.putIfPresent("Segment", segment);
        }
        kernel.write(ca, c.bytes());
        if (ssSize > 0) {
            StructBuffer ss = new StructBuffer(profile, "_SUBSECTION");
            ss.put("ControlArea", ca);
            kernel.write(ca + caSize, ss.bytes());
        }
        return ca;
    }

    /**
     * A shared cache map with the file's one view mapped in the system cache: a {@code _VACB} in
     * {@code InitialVacbs[0]} (and {@code Vacbs} pointing at them, as for every file of up to 1 MB) whose view
     * pages are resident, in transition or paged out in turn.
     */
    private long cacheMap(long file, String name) {
        StructBuffer m = new StructBuffer(profile, "_SHARED_CACHE_MAP");
        long at = machine.poolAlloc(m.size(), TAG_CACHE_MAP);
        int pages = 3 + machine.random.nextInt(14);
        long length = 0x1000L * pages;
        m.putIfPresent("FileSize", length).putIfPresent("SectionSize", length).putIfPresent("ValidDataLength",
                length);
        m.putIfPresent("FileObjectFastRef", file | 1);
        kernel.write(at, m.bytes());
        if (!profile.has("_SHARED_CACHE_MAP", "InitialVacbs") || !profile.has("_VACB", "BaseAddress")) {
            return at;
        }
        long initial = at + profile.offset("_SHARED_CACHE_MAP", "InitialVacbs");
        kernel.writeLong(at + profile.offset("_SHARED_CACHE_MAP", "SectionSize"), length);
        kernel.writeLong(at + profile.offset("_SHARED_CACHE_MAP", "Vacbs"), initial);
        long view = machine.poolPages(pages);
        StructBuffer v = new StructBuffer(profile, "_VACB");
        long vacb = machine.poolAlloc(v.size(), TAG_VACB);
        v.put("BaseAddress", view).put("SharedCacheMap", at);
        kernel.write(vacb, v.bytes());
        kernel.writeLong(initial, vacb);
        java.util.Random content = new java.util.Random(machine.options.seed() ^ at);
        byte[] whole = new byte[pages * 4096];
        List<FileTruth.SectionPage> truth = new ArrayList<>();
        String[] sources = {"ram", "transition", "pagefile"};
        for (int k = 0; k < pages; k++) {
            byte[] page = new byte[4096];
            content.nextBytes(page);
            System.arraycopy(page, 0, whole, k * 4096, 4096);
            long va = view + k * 4096L;
            String source = sources[k % sources.length];
            long where = switch (source) {
                case "ram" -> {
                    kernel.write(va, page);
                    yield kernel.translate(va);
                }
                case "transition" -> {
                    long frame = machine.memory.allocateFrame();
                    machine.memory.write(frame, page);
                    kernel.setPte(va, machine.pte.transition(frame, 4));
                    yield frame;
                }
                default -> {
                    long n = Machine.freePagingFilePage(machine.pagefile, 0xB00, machine.random);
                    machine.pagefile.put(n << 12, page);
                    kernel.setPte(va, machine.pte.software(0, n, 4, (n & 1) == 0));
                    yield n << 12;
                }
            };
            truth.add(new FileTruth.SectionPage(k * 4096L, source, where, Sha256.hex(page)));
        }
        cached.add(new FileTruth.Cached(file, name, at, length, Sha256.hex(whole), truth));
        return at;
    }

    /** A pool block tagged 'File' whose body is zero (no IO_TYPE_FILE): what a reused or torn block leaves. */
    private long junkBlock() {
        long size = profile.offset("_OBJECT_HEADER", "Body") + profile.requireStruct("_FILE_OBJECT").size();
        long body = machine.poolAlloc(size, TAG_FILE);
        // keep the next block clear of the positions a scanner tries behind this header
        machine.poolCursor += 0x200;
        return kernel.translate(body - 0x10);
    }
}
