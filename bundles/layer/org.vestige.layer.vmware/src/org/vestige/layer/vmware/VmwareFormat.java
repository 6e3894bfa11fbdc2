package org.vestige.layer.vmware;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.LittleEndian;
import org.vestige.layer.vmware.internal.RegionLayer;
import org.vestige.layer.vmware.internal.StateReader;

/**
 * VMware guest memory: a suspended VM ({@code .vmss}) or a snapshot ({@code .vmsn}) with the
 * {@code .vmem} beside it, or a state file that holds the memory itself.
 *
 * <p>The analyst may name either file. Named a {@code .vmem}, the format looks beside it for the state
 * file of the same base name ({@code .vmss} first, then {@code .vmsn}); named a state file, it looks for
 * the {@code .vmem}, or reads the memory from the state file's {@code Memory} block. A {@code .vmem}
 * with no state file beside it is left to the raw format (a .vmem is raw memory, but without its
 * region map a guest with more than about 3 GiB reads wrongly above the PCI hole, as this probe
 * says).
 *
 * <p>The opened layer maps guest physical pages through the {@code memory} group's regions; addresses
 * between regions are reported missing. Both files are opened read-only. The properties name both
 * files, the checkpoint's magic and version, the region map, the vCPUs and their CR3, and the first
 * CR3 as {@code DirectoryTableBase} in plain hex, as crash dumps report theirs (a hint, not a fact:
 * see {@link VmwareState#directoryTableBaseHint()}).
 *
 * @since 0.1
 */
public final class VmwareFormat implements EvidenceFormat {

    /** The format id used in {@link OpenedEvidence#formatId()}. */
    public static final String ID = "vmware";

    private static final int LISTED = 16;

    public VmwareFormat() {
    }

    @Override
    public ProbeResult probe(Path file) {
        int magic;
        try {
            magic = magic(file);
        } catch (IOException e) {
            return ProbeResult.no("cannot read the file: " + e.getMessage());
        }
        if (Checkpoint.isMagic(magic)) {
            Path vmem = StateReader.sibling(file, "vmem");
            try {
                VmwareState s = StateReader.state(Checkpoint.read(file, Set.of("memory")), vmem, false);
                return ProbeResult.certain("VMware " + s.kind().label() + " (magic 0x" + Integer.toHexString(magic)
                        + ", " + Checkpoint.describeMagic(magic) + ") with " + describe(s));
            } catch (EvidenceException e) {
                return new ProbeResult(50, "VMware checkpoint signature 0x" + Integer.toHexString(magic)
                        + ", but it cannot be opened: " + e.getMessage());
            }
        }
        if (!isVmem(file)) {
            return ProbeResult.no("no VMware checkpoint signature at offset 0 (0x" + Integer.toHexString(magic)
                    + ") and not a .vmem");
        }
        Path stateFile = StateReader.sibling(file, "vmss", "vmsn");
        if (stateFile == null) {
            return ProbeResult.no("no " + StateReader.base(file) + ".vmss or .vmsn beside " + file.getFileName()
                    + ": without its state file a .vmem is read as raw memory (linear; wrong above the PCI hole "
                    + "for guests with more than about 3 GiB)");
        }
        try {
            VmwareState s = StateReader.state(Checkpoint.read(stateFile, Set.of("memory")), file, true);
            return ProbeResult.certain("VMware memory with its " + s.kind().label() + " " + stateFile.getFileName()
                    + " beside it: " + describe(s));
        } catch (EvidenceException e) {
            return new ProbeResult(50, "VMware memory, but its state file cannot be read: " + e.getMessage());
        }
    }

    @Override
    public OpenedEvidence open(Path file) throws EvidenceException {
        int magic;
        try {
            magic = magic(file);
        } catch (IOException e) {
            throw new EvidenceException(file, "cannot be read: " + e.getMessage(), e);
        }
        VmwareState state;
        if (Checkpoint.isMagic(magic)) {
            state = StateReader.state(Checkpoint.read(file), StateReader.sibling(file, "vmem"), false);
        } else if (isVmem(file)) {
            Path stateFile = StateReader.sibling(file, "vmss", "vmsn");
            if (stateFile == null) {
                throw new EvidenceException(file, "no " + StateReader.base(file) + ".vmss or .vmsn beside it: "
                        + "without its state file a .vmem is raw memory (open it with the raw format)");
            }
            state = StateReader.state(Checkpoint.read(stateFile), file, true);
        } else {
            throw new EvidenceException(file, "neither a VMware state file (magic 0x" + Integer.toHexString(magic)
                    + " at offset 0) nor a .vmem");
        }
        FileLayer bytes;
        try {
            bytes = FileLayer.open(state.memoryFile(), state.memoryFile().getFileName().toString());
        } catch (IOException e) {
            throw new EvidenceException(state.memoryFile(), "cannot be opened: " + e.getMessage(), e);
        }
        String name = "physical (VMware: " + state.memoryFile().getFileName()
                + (state.embeddedMemory() ? "" : " + " + state.stateFile().getFileName()) + ")";
        RegionLayer layer = new RegionLayer(name, bytes, state);
        return new OpenedEvidence(ID, layer, List.of(), properties(state, file), List.of(layer));
    }

    /** @return what the checkpoint behind evidence this format opened said, or null for other evidence */
    public static VmwareState state(OpenedEvidence evidence) {
        return evidence.physical() instanceof RegionLayer l ? l.state() : null;
    }

    private static Map<String, String> properties(VmwareState s, Path named) {
        Checkpoint c = s.checkpoint();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("format", "VMware " + s.kind().label() + (s.embeddedMemory() ? " holding its memory" : " with its .vmem"));
        p.put("state file", c.file() + " (" + c.fileSize() + " bytes, read-only)");
        p.put("memory", s.embeddedMemory()
                ? "inside " + c.file().getFileName() + ": " + s.memoryLength() + " bytes at offset 0x"
                        + Long.toHexString(s.memoryOffset())
                : s.memoryFile() + " (" + s.memoryLength() + " bytes, read-only)");
        p.put("checkpoint magic", "0x%x (%s, format version %d)".formatted(c.magic(), Checkpoint.describeMagic(c.magic()),
                c.formatVersion()));
        p.put("header version", Integer.toString(c.headerVersion()));
        List<String> groups = c.groups().stream().map(CheckpointGroup::name).toList();
        p.put("groups", groups.size() + ": " + String.join(", ", groups.subList(0, Math.min(groups.size(), 40)))
                + (groups.size() > 40 ? ", …" : ""));
        if (s.regions().isEmpty()) {
            p.put("memory regions", "none: the memory is linear (offset N is guest physical address N)");
        } else {
            p.put("memory regions", Integer.toString(s.regions().size()));
            for (int i = 0; i < Math.min(LISTED, s.regions().size()); i++) {
                MemoryRegion r = s.regions().get(i);
                p.put("region " + i, "guest 0x%x–0x%x from memory offset 0x%x (%d pages)".formatted(r.physicalStart(),
                        r.physicalEnd() - 1, r.memoryOffset(), r.pages()));
            }
        }
        long mapped = s.regions().isEmpty() ? s.memoryLength()
                : s.regions().stream().mapToLong(MemoryRegion::length).sum();
        p.put("guest memory", mapped + " bytes (" + (mapped >> 20) + " MiB)");
        c.group("Checkpoint").flatMap(g -> g.first("memSize")).filter(CheckpointTag::isNumber)
                .ifPresent(t -> p.put("configured memory", t.longValue() + " MiB"));
        if (s.vcpus() > 0) {
            p.put("vCPUs", Integer.toString(s.vcpus()));
        }
        int listed = 0;
        for (Map.Entry<Integer, Long> e : s.cr3().entrySet()) {
            if (listed++ == LISTED) {
                break;
            }
            p.put("CR3 (vCPU " + e.getKey() + ")", "0x" + Long.toHexString(e.getValue()));
        }
        // the same key and plain hex as a crash dump's header value, so a reader of hints finds both
        s.directoryTableBaseHint().ifPresent(d -> p.put(OpenedEvidence.DIRECTORY_TABLE_BASE, "0x" + Long.toHexString(d)));
        if (!s.embeddedMemory()) {
            Path other = named.equals(s.stateFile()) ? s.memoryFile() : s.stateFile();
            p.put("companion", other.getFileName() + " is read too, but only " + named.getFileName()
                    + " is hashed with the case");
        }
        if (!s.warnings().isEmpty()) {
            p.put("warnings", String.join("; ", s.warnings()));
        }
        return p;
    }

    private static String describe(VmwareState s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.regions().isEmpty() ? "linear memory (no region map)"
                : s.regions().size() + " memory region" + (s.regions().size() == 1 ? "" : "s"));
        parts.add(s.embeddedMemory()
                ? "memory inside " + s.memoryFile().getFileName() + " (" + s.memoryLength() + " bytes at offset 0x"
                        + Long.toHexString(s.memoryOffset()) + ")"
                : "memory in " + s.memoryFile().getFileName());
        return String.join(", ", parts) + (s.warnings().isEmpty() ? "" : "; " + String.join("; ", s.warnings()));
    }

    private static boolean isVmem(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".vmem");
    }

    private static int magic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                return 0;
            }
            return LittleEndian.i32(b, 0);
        }
    }
}
