package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PteEncoding;
import org.vestige.synth.SynthTruth;

/**
 * Writes each process's VADs as the VAD walker reads them: a balanced tree of {@code _MMVAD_SHORT} and
 * {@code _MMVAD} nodes ordered by address, image VADs with their prototype PTEs, and the file object,
 * control area and subsection behind each mapped file.
 */
final class VadWriter {

    private final Machine machine;
    private final Profile profile;
    private final Random random;
    private final PageTableBuilder kernel;
    private final PteEncoding pte;

    VadWriter(Machine machine) {
        this.machine = machine;
        profile = machine.profile;
        random = machine.random;
        kernel = machine.kernel;
        pte = machine.pte;
    }

    static final long TAG_VAD_SHORT = 0x53646156L; // 'VadS'
    static final long TAG_VAD = 0x20646156L; // 'Vad '
    static final long TAG_FILE = 0x656c6946L; // 'File'
    static final long TAG_CONTROL_AREA = 0x61436d4dL; // 'MmCa'

    /** Lays the process's VADs out as a balanced binary tree ordered by address and links it to the process. */
    void writeVadTree(PlacedProcess p) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.vadRanges.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compareUnsigned(p.vadRanges.get(a)[0], p.vadRanges.get(b)[0]));
        List<long[]> ranges = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i : order) {
            long[] r = p.vadRanges.get(i);
            if (!ranges.isEmpty() && Long.compareUnsigned(ranges.get(ranges.size() - 1)[1], r[0]) >= 0) {
                continue; // overlaps the previous range (e.g. loader data inside an image): one VAD covers it
            }
            ranges.add(r);
            files.add(p.vadFiles.get(i));
        }
        long[] nodes = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            boolean image = ranges.get(i)[3] == 2;
            nodes[i] = machine.poolAlloc(profile.requireStruct(image ? "_MMVAD" : "_MMVAD_SHORT").size(), image
                    ? TAG_VAD
                    : TAG_VAD_SHORT);
        }
        p.vadRoot = vadSubtree(p, ranges, files, nodes, 0, ranges.size() - 1, 0);
    }

    long vadSubtree(PlacedProcess p, List<long[]> ranges, List<String> files, long[] nodes, int lo, int hi,
            long parent) {
        if (lo > hi) {
            return 0;
        }
        int mid = (lo + hi) >>> 1;
        long node = nodes[mid];
        long left = vadSubtree(p, ranges, files, nodes, lo, mid - 1, node);
        long right = vadSubtree(p, ranges, files, nodes, mid + 1, hi, node);
        if (left == 0 && right == 0) {
            p.vadLeaf = node;
        }
        long[] r = ranges.get(mid);
        long commit = r[5];
        if (commit < 0) {
            commit = p.space.userLeaves().subMap(r[0], r[1] + 1).size();
        }
        StructBuffer v = new StructBuffer(profile, "_MMVAD_SHORT");
        boolean win8 = v.has("VadNode.Left");
        if (win8) {
            v.put("VadNode.Left", left).put("VadNode.Right", right).put("VadNode.ParentValue", parent);
            v.put("StartingVpn", (r[0] >>> 12) & 0xffffffffL).put("EndingVpn", (r[1] >>> 12) & 0xffffffffL);
            v.putIfPresent("StartingVpnHigh", r[0] >>> 44).putIfPresent("EndingVpnHigh", r[1] >>> 44);
        } else {
            v.put("LeftChild", left).put("RightChild", right).put("u1.Parent", parent);
            v.put("StartingVpn", r[0] >>> 12).put("EndingVpn", r[1] >>> 12);
        }
        v.put("u.VadFlags.Protection", r[2]).put("u.VadFlags.VadType", r[3]).put("u.VadFlags.PrivateMemory", r[4]);
        if (v.has("u1.VadFlags1.CommitCharge")) {
            v.put("u1.VadFlags1.CommitCharge", commit);
        } else if (v.has("CommitCharge")) {
            v.put("CommitCharge", commit);
        } else {
            v.put("u.VadFlags.CommitCharge", commit);
        }
        String file = null;
        byte[] bytes = v.bytes();
        if (r[3] == 2) {
            StructBuffer full = new StructBuffer(profile, "_MMVAD");
            System.arraycopy(bytes, 0, full.bytes(), 0, bytes.length);
            long[] proto = p.prototypes.get(r[0]);
            if (machine.fileTypesKnown()) {
                file = files.get(mid);
                Mapping mapping = fileMapping(file, proto);
                long subsection = mapping.subsection();
                if (r[0] == p.imageBase && file != null && file.equals(mappedName(p.imagePath))) {
                    // the executable's own view: _EPROCESS.ImageFilePointer and SectionObject lead to it
                    p.imageFile = mapping.file();
                    p.imageControlArea = mapping.controlArea();
                }
                full.put("Subsection", subsection);
                Integer backed = p.fileBacked.get(r[0]);
                if (backed != null && proto != null) {
                    kernel.writeLong(proto[0] + backed * 8L, pte.prototype(subsection));
                }
            }
            if (proto != null && full.has("FirstPrototypePte")) {
                full.put("FirstPrototypePte", proto[0]);
                full.putIfPresent("LastContiguousPte", proto[0] + (proto[1] - 1) * 8);
            }
            bytes = full.bytes();
        }
        kernel.write(node, bytes);
        p.vads.add(new SynthTruth.Vad(node, r[0], r[1], (int) r[2], (int) r[3], r[4] != 0, commit, file));
        p.vads.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return node;
    }

    /** @return the name an image VAD's file object gives a file of {@code imagePath}: the path without its drive */
    static String mappedName(String imagePath) {
        return imagePath.length() > 2 && imagePath.charAt(1) == ':' ? imagePath.substring(2) : imagePath;
    }

    /** A mapped file as {@link #fileMapping} lays it out: its file object, control area and first subsection. */
    record Mapping(long file, long controlArea, long subsection) {
    }

    /**
     * A file object named {@code path}, its control area and the first subsection (with its prototype
     * PTE array {@code {address, count}} when given).
     */
    Mapping fileMapping(String path, long[] prototypes) {
        long fileSize = profile.requireStruct("_FILE_OBJECT").size();
        long file = machine.objectAlloc(fileSize, TAG_FILE, "File");
        StructBuffer f = new StructBuffer(profile, "_FILE_OBJECT");
        f.putIfPresent("Type", 5).putIfPresent("Size", fileSize);
        f.putUnicode("FileName", path.length() * 2, path.length() * 2 + 2, machine.poolString(path));
        FileObjectWriter.emptyLists(f, file);
        long caSize = profile.requireStruct("_CONTROL_AREA").size();
        long ssSize = profile.requireStruct("_SUBSECTION").size();
        // the first subsection follows its control area in the same allocation
        long ca = machine.poolAlloc(caSize + ssSize, TAG_CONTROL_AREA);
        boolean pointers = FileObjectWriter.imageSection(machine, f, ca);
        kernel.write(file, f.bytes());
        FileObjectWriter.placed(machine, file, "", path, pointers);
        StructBuffer c = new StructBuffer(profile, "_CONTROL_AREA");
        c.put("FilePointer.Value", file | (1 + random.nextInt(15)));
        c.putIfPresent("NumberOfMappedViews", 1 + random.nextInt(30));
        kernel.write(ca, c.bytes());
        StructBuffer ss = new StructBuffer(profile, "_SUBSECTION");
        ss.put("ControlArea", ca);
        if (prototypes != null) {
            ss.putIfPresent("SubsectionBase", prototypes[0]);
            ss.putIfPresent("PtesInSubsection", prototypes[1]);
        }
        kernel.write(ca + caSize, ss.bytes());
        return new Mapping(file, ca, ca + caSize);
    }
}
