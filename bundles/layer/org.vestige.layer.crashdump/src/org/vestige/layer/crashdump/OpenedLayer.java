package org.vestige.layer.crashdump;

import java.nio.file.Path;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * The layer handed out in {@code OpenedEvidence}: the dump's memory, keeping the parsed dump reachable
 * so callers can get back to typed data ({@link CrashDumpFormat#dump}, {@link MinidumpFormat#minidump}).
 */
final class OpenedLayer implements DumpLayer {

    private final DumpLayer memory;
    private final Object owner;

    OpenedLayer(DumpLayer memory, Object owner) {
        this.memory = memory;
        this.owner = owner;
    }

    Object owner() {
        return owner;
    }

    @Override
    public String name() {
        return memory.name();
    }

    @Override
    public long size() {
        return memory.size();
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        return memory.read(address, buffer, offset, length, sink);
    }

    @Override
    public PageProvenance provenance(long address) {
        return memory.provenance(address);
    }

    @Override
    public AddressSpace addressSpace() {
        return memory.addressSpace();
    }

    @Override
    public Path file() {
        return memory.file();
    }

    @Override
    public String toString() {
        return name();
    }
}
