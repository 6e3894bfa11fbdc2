package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;
import org.vestige.windows.internal.FieldPath.Accessor;

/**
 * Walks a process's VAD tree from {@code _EPROCESS.VadRoot}: an {@code _RTL_AVL_TREE} whose nodes
 * are {@code _RTL_BALANCED_NODE}s (Windows 8 and later) or, on Windows 7, an {@code _MM_AVL_TABLE}
 * whose {@code BalancedRoot.RightChild} is the root. Ranges, flags and commit charge are read with the
 * profile's offsets and bit fields; for mapped sections the file name is followed through
 * Subsection → ControlArea → FilePointer → _FILE_OBJECT.FileName. The walk is in address order,
 * bounded, and survives smear: a node reached twice (a cycle), an unreadable node or one out of
 * order becomes a warning and the rest of the tree is still walked.
 *
 * @since 0.1
 */
public final class VadWalker {

    /** More VADs than any real process has; beyond it the tree is garbage. */
    public static final int MAX_VADS = 1 << 18;
    private static final int MAX_NAME_BYTES = 0xFFFE;

    private final MemoryReader reader;
    private final Profile profile;
    private final int rootOffset;
    private final int left;
    private final int right;
    private final int shortSize;
    private final Accessor startVpn;
    private final Accessor endVpn;
    private final Accessor startHigh;
    private final Accessor endHigh;
    private final Accessor protection;
    private final Accessor vadType;
    private final Accessor privateMemory;
    private final Accessor commit;
    private final Accessor commitHigh;
    private final int subsection;
    private final int controlArea;
    private final int filePointer;
    private final int fileName;
    private final String fileTypesMissing;

    /**
     * @param kernel the kernel address space (VADs live in nonpaged pool)
     * @throws java.util.NoSuchElementException naming the VAD field the profile lacks
     */
    public VadWalker(X64Layer kernel, Profile profile) {
        this.reader = new MemoryReader(Objects.requireNonNull(kernel));
        this.profile = Objects.requireNonNull(profile);
        String s = "_MMVAD_SHORT";
        boolean balanced = FieldPath.find(profile, s, "VadNode.Left").isPresent();
        if (balanced) {
            rootOffset = (int) FieldPath.require(profile, "_EPROCESS", "VadRoot.Root").offset();
            left = (int) FieldPath.require(profile, s, "VadNode.Left").offset();
            right = (int) FieldPath.require(profile, s, "VadNode.Right").offset();
        } else {
            rootOffset = (int) FieldPath.require(profile, "_EPROCESS", "VadRoot.BalancedRoot.RightChild").offset();
            left = (int) FieldPath.require(profile, s, "LeftChild").offset();
            right = (int) FieldPath.require(profile, s, "RightChild").offset();
        }
        shortSize = (int) profile.requireStruct(s).size();
        startVpn = FieldPath.requireAccessor(profile, s, "StartingVpn");
        endVpn = FieldPath.requireAccessor(profile, s, "EndingVpn");
        startHigh = FieldPath.accessor(profile, s, "StartingVpnHigh").orElse(null);
        endHigh = FieldPath.accessor(profile, s, "EndingVpnHigh").orElse(null);
        protection = FieldPath.requireAccessor(profile, s, "u.VadFlags.Protection");
        vadType = FieldPath.requireAccessor(profile, s, "u.VadFlags.VadType");
        privateMemory = FieldPath.requireAccessor(profile, s, "u.VadFlags.PrivateMemory");
        commit = FieldPath.accessor(profile, s, "u1.VadFlags1.CommitCharge")
                .or(() -> FieldPath.accessor(profile, s, "CommitCharge"))
                .or(() -> FieldPath.accessor(profile, s, "u.VadFlags.CommitCharge")).orElse(null);
        commitHigh = FieldPath.accessor(profile, s, "CommitChargeHigh").orElse(null);
        subsection = FieldPath.offsetOrMinus1(profile, "_MMVAD", "Subsection");
        controlArea = FieldPath.offsetOrMinus1(profile, "_SUBSECTION", "ControlArea");
        filePointer = FieldPath.offsetOrMinus1(profile, "_CONTROL_AREA", "FilePointer");
        fileName = FieldPath.offsetOrMinus1(profile, "_FILE_OBJECT", "FileName");
        List<String> lacking = new ArrayList<>();
        if (subsection < 0) {
            lacking.add("_MMVAD.Subsection");
        }
        if (controlArea < 0) {
            lacking.add("_SUBSECTION.ControlArea");
        }
        if (filePointer < 0) {
            lacking.add("_CONTROL_AREA.FilePointer");
        }
        if (fileName < 0) {
            lacking.add("_FILE_OBJECT.FileName");
        }
        fileTypesMissing = lacking.isEmpty() ? null : "profile " + profile.source() + " has no " + String.join(", ",
                lacking);
    }

    /** Walks the VAD tree of the process whose _EPROCESS is at {@code eprocess}. */
    public VadList walk(long eprocess) {
        Readout<Long> root = reader.qword(eprocess + rootOffset, "_EPROCESS.VadRoot");
        if (!root.isPresent()) {
            return new VadList(List.of(), List.of(root.reason()));
        }
        return walkTree(root.get(), "_EPROCESS " + hex(eprocess) + " VadRoot");
    }

    /** Walks the tree whose root node is at {@code root}. */
    public VadList walkTree(long root, String rootName) {
        List<String> warnings = new ArrayList<>();
        List<WinVad> vads = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Deque<Node> stack = new ArrayDeque<>();
        long cur = root;
        String via = rootName;
        long lastEnd = -1;
        boolean stopped = false;
        while (!stopped && (cur != 0 || !stack.isEmpty())) {
            while (cur != 0) {
                if (seen.size() >= MAX_VADS) {
                    warnings.add("more than " + MAX_VADS + " VADs; walk stopped");
                    stopped = true;
                    break;
                }
                if (!seen.add(cur)) {
                    warnings.add(via + " leads to VAD " + hex(cur) + ", already visited (cycle); that branch skipped");
                    break;
                }
                Node n = read(cur, via, warnings);
                if (n == null) {
                    break;
                }
                stack.push(n);
                via = "VAD " + hex(cur) + " Left";
                cur = n.left;
            }
            if (stopped || stack.isEmpty()) {
                break;
            }
            Node n = stack.pop();
            if (lastEnd != -1 && Long.compareUnsigned(n.vad.start(), lastEnd) <= 0) {
                warnings.add("VAD " + hex(n.vad.node()) + " (" + hex(n.vad.start()) + "-" + hex(n.vad.end())
                        + ") is out of order or overlaps the previous range");
            }
            lastEnd = n.vad.end();
            vads.add(n.vad);
            via = "VAD " + hex(n.vad.node()) + " Right";
            cur = n.right;
        }
        vads.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return new VadList(vads, warnings);
    }

    private record Node(WinVad vad, long left, long right) {
    }

    private Node read(long va, String via, List<String> warnings) {
        if (va >= 0 || !X64Translator.canonical(va) || (va & 7) != 0) {
            warnings.add(via + " is " + hex(va) + ", not a kernel address; that branch skipped");
            return null;
        }
        Readout<byte[]> r = reader.bytes(va, shortSize, "_MMVAD_SHORT");
        if (!r.isPresent()) {
            warnings.add(via + ": " + r.reason() + "; that branch skipped");
            return null;
        }
        byte[] b = r.get();
        long startPage = startVpn.get(b, 0) | (startHigh != null ? startHigh.get(b, 0) << 32 : 0);
        long endPage = endVpn.get(b, 0) | (endHigh != null ? endHigh.get(b, 0) << 32 : 0);
        long charge = commit == null ? -1 : commit.get(b, 0) | (commitHigh != null ? commitHigh.get(b, 0)
                << commit.bits() : 0);
        boolean priv = privateMemory.get(b, 0) != 0;
        Readout<String> file = priv ? null : file(va);
        WinVad vad = new WinVad(va, startPage << 12, (endPage << 12) | 0xfff, (int) protection.get(b, 0),
                (int) vadType.get(b, 0), priv, charge, file);
        if (Long.compareUnsigned(startPage, endPage) > 0 || endPage >= (1L << 36)) {
            warnings.add("VAD " + hex(va) + " has an implausible range (StartingVpn " + hex(startPage)
                    + ", EndingVpn " + hex(endPage) + ")");
        }
        return new Node(vad, Bytes.u64(b, left), Bytes.u64(b, right));
    }

    private Readout<String> file(long vad) {
        return fileObject(vad).flatMap(fileObject -> reader.unicodeString(fileObject + fileName, MAX_NAME_BYTES,
                "_FILE_OBJECT " + hex(fileObject) + " FileName"));
    }

    /**
     * @param vad a mapped-section VAD's node ({@link WinVad#node()})
     * @return the _FILE_OBJECT its section maps (Subsection → ControlArea → FilePointer), or why there is none
     */
    public Readout<Long> fileObject(long vad) {
        if (fileTypesMissing != null) {
            return Readout.missing(fileTypesMissing);
        }
        return reader.qword(vad + subsection, "_MMVAD.Subsection").flatMap(ss -> {
            if (ss == 0) {
                return Readout.missing("VAD " + hex(vad) + " has no subsection");
            }
            return reader.qword(ss + controlArea, "_SUBSECTION.ControlArea").flatMap(ca -> {
                if (ca == 0) {
                    return Readout.missing("subsection " + hex(ss) + " has no control area");
                }
                return reader.qword(ca + filePointer, "_CONTROL_AREA.FilePointer").flatMap(fp -> {
                    long fileObject = fp & ~0xfL; // _EX_FAST_REF: the low four bits are a reference count
                    return fileObject == 0 ? Readout.missing("control area " + hex(ca)
                            + " maps no file (pagefile-backed section)") : Readout.of(fileObject);
                });
            });
        });
    }
}
