package org.vestige.layer.crashdump;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a triage (small memory) dump holds beyond the main header: its header, the loaded and
 * recently unloaded drivers, the copied kernel data blocks (which form the dump's sparse kernel
 * virtual view) and what can be derived from the copies of the crashing processor's {@code KPRCB},
 * thread and process.
 *
 * @param header            the triage header
 * @param drivers           the loaded-driver list, in the dump's order
 * @param unloadedDrivers   recently unloaded drivers
 * @param dataBlocks        the copied kernel memory ranges
 * @param processorContext  the crashing processor's registers as {@code KeBugCheckEx} saved them
 *                          ({@code KPRCB.Context}), when the copies allow finding them
 * @param currentThread     address of the crashing thread ({@code KPRCB.CurrentThread}), when known
 * @param currentProcess    address of the crashing thread's process, when known
 * @param notes             what could not be derived, and why
 * @since 0.1
 */
public record TriageDump(TriageHeader header, List<TriageDriver> drivers, List<UnloadedDriver> unloadedDrivers,
        List<TriageDataBlock> dataBlocks, Optional<CpuContext> processorContext, OptionalLong currentThread,
        OptionalLong currentProcess, List<String> notes) {

    public TriageDump {
        drivers = List.copyOf(drivers);
        unloadedDrivers = List.copyOf(unloadedDrivers);
        dataBlocks = List.copyOf(dataBlocks);
        notes = List.copyOf(notes);
    }

    /** @return the loaded driver whose image contains {@code address} */
    public Optional<TriageDriver> driverAt(long address) {
        return drivers.stream().filter(d -> d.contains(address)).findFirst();
    }

    /** @return the loaded driver with base name {@code name} (case-insensitive), e.g. {@code amdppm.sys} */
    public Optional<TriageDriver> driver(String name) {
        return drivers.stream().filter(d -> d.baseName().equalsIgnoreCase(name)).findFirst();
    }
}
