package org.vestige.layer.vmware;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a VMware checkpoint says about the guest's memory and processors: where the memory is (a
 * {@code .vmem} beside the state file, or a {@code Memory} block inside it), how guest physical pages
 * map into it, and each vCPU's CR3.
 *
 * @param checkpoint   the parsed state file
 * @param kind         what the state file is
 * @param memoryFile   the file holding the memory: the {@code .vmem}, or the state file itself
 * @param memoryOffset offset of the memory within {@code memoryFile} (0 for a {@code .vmem})
 * @param memoryLength bytes of memory available there
 * @param regions      the region map sorted by guest address; empty when the memory is linear
 *                     (file offset N is guest physical address N)
 * @param vcpus        the number of vCPUs the {@code cpu} group declares, or 0 when it does not
 * @param cr3          CR3 of each vCPU whose control registers the {@code cpu} group holds, by vCPU
 * @param warnings     what was odd but did not stop the memory from being read
 * @since 0.1
 */
public record VmwareState(Checkpoint checkpoint, Kind kind, Path memoryFile, long memoryOffset, long memoryLength,
        List<MemoryRegion> regions, int vcpus, SortedMap<Integer, Long> cr3, List<String> warnings) {

    /**
     * What a state file is, from its name.
     *
     * @since 0.1
     */
    public enum Kind {
        /** a suspended VM's {@code .vmss} */
        SUSPENDED("suspended state"),
        /** a snapshot's {@code .vmsn} */
        SNAPSHOT("snapshot state"),
        /** a checkpoint with neither name */
        CHECKPOINT("checkpoint state");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** @return e.g. "suspended state" */
        public String label() {
            return label;
        }

        /** @return the kind a state file's extension names */
        public static Kind of(Path file) {
            String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            return n.endsWith(".vmss") ? SUSPENDED : n.endsWith(".vmsn") ? SNAPSHOT : CHECKPOINT;
        }
    }

    public VmwareState {
        regions = List.copyOf(regions);
        cr3 = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(cr3));
        warnings = List.copyOf(warnings);
    }

    /** @return the state file */
    public Path stateFile() {
        return checkpoint.file();
    }

    /** @return whether the memory is held inside the state file rather than in a {@code .vmem} */
    public boolean embeddedMemory() {
        return memoryFile.equals(checkpoint.file());
    }

    /**
     * A directory table base for kernel discovery to try first: the first vCPU's CR3 with the low 12
     * bits (PCID and flags) cleared. Any CR3 a Windows guest was running with maps the kernel, so it
     * is a hint worth validating, never a fact.
     *
     * @return the hint, or empty when the checkpoint holds no CR3
     */
    public OptionalLong directoryTableBaseHint() {
        for (Map.Entry<Integer, Long> e : cr3.entrySet()) {
            long v = e.getValue() & ~0xfffL & 0x000f_ffff_ffff_ffffL;
            if (v != 0) {
                return OptionalLong.of(v);
            }
        }
        return OptionalLong.empty();
    }
}
