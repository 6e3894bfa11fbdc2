package org.vestige.layer.vmware.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.layer.vmware.Checkpoint;
import org.vestige.layer.vmware.CheckpointGroup;
import org.vestige.layer.vmware.CheckpointTag;
import org.vestige.layer.vmware.MemoryRegion;
import org.vestige.layer.vmware.VmwareState;

/**
 * Turns a checkpoint's {@code memory} and {@code cpu} groups into a {@link VmwareState}: where the
 * memory is, the region map and the vCPUs' CR3.
 */
public final class StateReader {

    /** The most memory regions accepted (VMware writes one per run of guest RAM: a handful). */
    public static final int MAX_REGIONS = 1024;
    /** The most vCPUs accepted. */
    public static final int MAX_VCPUS = 4096;
    /** Guest physical addresses are at most 52 bits: 2^40 pages. */
    private static final long MAX_PAGE = 1L << 40;
    /** A 64-bit CR64 block holds CR0 to CR8, 8 bytes each. */
    private static final int CR64_BLOCK = 72;

    private StateReader() {
    }

    /**
     * @param vmem     the {@code .vmem} beside the state file, or null when there is none
     * @param fromVmem whether the analyst named the {@code .vmem} (its bytes are the memory then)
     */
    public static VmwareState state(Checkpoint c, Path vmem, boolean fromVmem) throws EvidenceException {
        Path file = c.file();
        CheckpointGroup memory = c.group("memory").orElseThrow(() -> new EvidenceException(file,
                "has no 'memory' group (groups: " + names(c) + "), so where the guest's memory lies is unknown"));
        List<String> warnings = new ArrayList<>();
        List<MemoryRegion> regions = regions(file, memory);

        Path memoryFile;
        long memoryOffset;
        long memoryLength;
        Optional<CheckpointTag> block = memory.tag("Memory", 0, 0).or(() -> memory.first("Memory"));
        if (fromVmem) {
            memoryFile = vmem;
            memoryOffset = 0;
            memoryLength = size(vmem);
            block.filter(t -> t.memorySize() > 0).ifPresent(t -> warnings.add(file.getFileName()
                    + " also holds " + t.memorySize() + " bytes of memory in tag '" + t.label() + "'; "
                    + vmem.getFileName() + " was read, as named"));
        } else if (block.isPresent() && block.get().memorySize() > 0) {
            CheckpointTag t = block.get();
            String where = "group 'memory', tag '" + t.label() + "' at offset 0x" + Long.toHexString(t.offset());
            if (t.kind() == CheckpointTag.Kind.VALUE) {
                throw new EvidenceException(file, "corrupt " + where + ": holds a " + t.diskSize()
                        + "-byte value where the guest memory block belongs");
            }
            if (t.kind() == CheckpointTag.Kind.COMPRESSED_BLOCK) {
                if (vmem == null) {
                    throw new EvidenceException(file, where + ": the guest memory is stored compressed (" + t.diskSize()
                            + " bytes in the file for " + t.memorySize() + " bytes of memory), which cannot be read; "
                            + "no .vmem is beside it");
                }
                memoryFile = vmem;
                memoryOffset = 0;
                memoryLength = size(vmem);
                warnings.add(where + " holds the memory compressed; " + vmem.getFileName() + " was read instead");
            } else {
                memoryFile = file;
                memoryOffset = t.dataOffset();
                memoryLength = t.diskSize();
                if (t.memorySize() != t.diskSize()) {
                    warnings.add(where + ": the block's size in memory (" + t.memorySize() + ") differs from its size "
                            + "in the file (" + t.diskSize() + "); the bytes in the file were read");
                }
            }
        } else if (vmem != null) {
            memoryFile = vmem;
            memoryOffset = 0;
            memoryLength = size(vmem);
        } else {
            throw new EvidenceException(file, "holds no guest memory (no 'Memory' block in group 'memory') and no "
                    + base(file) + ".vmem is beside it");
        }

        for (int i = 0; i < regions.size(); i++) {
            MemoryRegion r = regions.get(i);
            if (r.memoryOffset() + r.length() > memoryLength) {
                long beyond = (r.memoryOffset() + r.length() - Math.max(memoryLength, r.memoryOffset()) + 4095) / 4096;
                warnings.add("memory region at guest 0x" + Long.toHexString(r.physicalStart()) + " ends "
                        + beyond + " pages past the end of the memory in " + memoryFile.getFileName()
                        + " (" + memoryLength + " bytes); those pages read as missing");
            }
        }

        int vcpus = 0;
        SortedMap<Integer, Long> cr3 = new TreeMap<>();
        Optional<CheckpointGroup> cpu = c.group("cpu").filter(CheckpointGroup::read);
        if (cpu.isPresent()) {
            Optional<CheckpointTag> n = cpu.get().first("cpu:numVCPUs").or(() -> cpu.get().first("numVCPUs"));
            if (n.isPresent() && n.get().isNumber()) {
                long v = n.get().longValue();
                if (v > 0 && v <= MAX_VCPUS) {
                    vcpus = (int) v;
                } else {
                    warnings.add("group 'cpu', tag '" + n.get().label() + "' declares " + v + " vCPUs; ignored");
                }
            }
            controlRegisters(c, cpu.get(), cr3, warnings);
        }
        return new VmwareState(c, VmwareState.Kind.of(file), memoryFile, memoryOffset, memoryLength, regions, vcpus,
                cr3, warnings);
    }

    private static void controlRegisters(Checkpoint c, CheckpointGroup cpu, SortedMap<Integer, Long> cr3,
            List<String> warnings) throws EvidenceException {
        SortedMap<Integer, Long> narrow = new TreeMap<>();
        for (CheckpointTag t : cpu.tags()) {
            boolean wide = t.name().equals("CR64");
            if (!wide && !t.name().equals("CR")) {
                continue;
            }
            List<Integer> idx = t.indices();
            if (idx.isEmpty() || idx.get(0) < 0 || idx.get(0) >= MAX_VCPUS) {
                continue;
            }
            int vcpu = idx.get(0);
            if (idx.size() == 2 && idx.get(1) == 3 && t.isNumber()) {
                (wide ? cr3 : narrow).put(vcpu, t.longValue());
            } else if (wide && idx.size() == 1 && t.kind() == CheckpointTag.Kind.BLOCK) {
                if (t.diskSize() != CR64_BLOCK) {
                    warnings.add("group 'cpu', tag '" + t.label() + "' at offset 0x" + Long.toHexString(t.offset())
                            + " is a " + t.diskSize() + "-byte block, not the " + CR64_BLOCK + " bytes of CR0–CR8");
                    continue;
                }
                byte[] b = c.readBlock(t, CR64_BLOCK);
                long v = 0;
                for (int i = 31; i >= 24; i--) {
                    v = (v << 8) | (b[i] & 0xff);
                }
                cr3.put(vcpu, v);
            }
        }
        narrow.forEach(cr3::putIfAbsent);
    }

    /** Reads the region map: regionsCount, then regionPPN[i], regionPageNum[i] and regionSize[i] for each. */
    static List<MemoryRegion> regions(Path file, CheckpointGroup memory) throws EvidenceException {
        Optional<CheckpointTag> countTag = memory.first("regionsCount");
        long count;
        if (countTag.isPresent()) {
            CheckpointTag t = countTag.get();
            if (!t.isNumber()) {
                throw new EvidenceException(file, "corrupt group 'memory', tag '" + t.label() + "' at offset 0x"
                        + Long.toHexString(t.offset()) + ": not a number");
            }
            count = t.longValue();
            if (count > MAX_REGIONS) {
                throw new EvidenceException(file, "corrupt group 'memory', tag '" + t.label() + "' at offset 0x"
                        + Long.toHexString(t.offset()) + ": " + count + " regions (at most " + MAX_REGIONS
                        + " accepted)");
            }
        } else {
            count = memory.all("regionPPN").size();
            if (count > MAX_REGIONS) {
                throw new EvidenceException(file, "corrupt group 'memory': " + count + " regionPPN tags (at most "
                        + MAX_REGIONS + " accepted)");
            }
        }
        List<MemoryRegion> regions = new ArrayList<>();
        List<CheckpointTag> ppnTags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CheckpointTag ppn = regionTag(file, memory, "regionPPN", i);
            long physical = ppn.longValue();
            long memPage = regionTag(file, memory, "regionPageNum", i).longValue();
            CheckpointTag sizeTag = regionTag(file, memory, "regionSize", i);
            long pages = sizeTag.longValue();
            if (pages == 0 || pages >= MAX_PAGE || physical >= MAX_PAGE - pages || memPage >= MAX_PAGE - pages) {
                throw new EvidenceException(file, "corrupt group 'memory', region " + i + " (tag '" + sizeTag.label()
                        + "' at offset 0x" + Long.toHexString(sizeTag.offset()) + "): " + pages + " pages at guest page 0x"
                        + Long.toHexString(physical) + " from memory page 0x" + Long.toHexString(memPage)
                        + " is not a run of guest memory");
            }
            regions.add(new MemoryRegion(physical, memPage, pages));
            ppnTags.add(ppn);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> regions.get(i).physicalPage()));
        for (int k = 1; k < order.size(); k++) {
            MemoryRegion a = regions.get(order.get(k - 1));
            MemoryRegion b = regions.get(order.get(k));
            if (b.physicalPage() < a.physicalPage() + a.pages()) {
                CheckpointTag t = ppnTags.get(order.get(k));
                throw new EvidenceException(file, "corrupt group 'memory': region " + order.get(k) + " (tag '"
                        + t.label() + "' at offset 0x" + Long.toHexString(t.offset()) + ") starts at guest 0x"
                        + Long.toHexString(b.physicalStart()) + ", inside region " + order.get(k - 1) + " (0x"
                        + Long.toHexString(a.physicalStart()) + "–0x" + Long.toHexString(a.physicalEnd() - 1) + ")");
            }
        }
        return order.stream().map(regions::get).toList();
    }

    private static CheckpointTag regionTag(Path file, CheckpointGroup memory, String name, int index)
            throws EvidenceException {
        Optional<CheckpointTag> t = memory.tag(name, index);
        if (t.isEmpty()) {
            throw new EvidenceException(file, "corrupt group 'memory' at offset 0x" + Long.toHexString(memory.offset())
                    + ": tag '" + name + "[" + index + "]' is missing, but the group describes region " + index);
        }
        if (!t.get().isNumber()) {
            throw new EvidenceException(file, "corrupt group 'memory', tag '" + t.get().label() + "' at offset 0x"
                    + Long.toHexString(t.get().offset()) + ": not a number");
        }
        return t.get();
    }

    private static long size(Path p) throws EvidenceException {
        try {
            long s = Files.size(p);
            if (s == 0) {
                throw new EvidenceException(p, "is empty (0 bytes)");
            }
            return s;
        } catch (IOException e) {
            throw new EvidenceException(p, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static String names(Checkpoint c) {
        List<String> n = c.groups().stream().map(CheckpointGroup::name).limit(20).toList();
        return String.join(", ", n) + (c.groups().size() > 20 ? ", …" : "");
    }

    /** @return a file's name without its last extension */
    public static String base(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** @return the first of {@code extensions} (tried as given, in lower and in upper case) naming a regular file beside {@code file} */
    public static Path sibling(Path file, String... extensions) {
        String base = base(file);
        for (String ext : extensions) {
            for (String e : new String[] {ext, ext.toLowerCase(java.util.Locale.ROOT), ext.toUpperCase(java.util.Locale.ROOT)}) {
                Path p = file.resolveSibling(base + "." + e);
                if (!p.equals(file) && Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
