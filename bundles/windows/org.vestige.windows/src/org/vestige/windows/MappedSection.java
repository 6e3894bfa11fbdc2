package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * A file's section as an address space of file offsets: each page is read through its prototype PTE,
 * wherever that says the page is — resident, in transition, in a paging file, in the compressed store, or
 * only in the file itself — so a file is dumped from every backing store the kernel's own mappings use.
 * Offsets no subsection covers, prototype PTEs that cannot be read and pages held only in the file are
 * missing with their typed cause, never zeros without a record.
 *
 * @since 0.1
 */
public final class MappedSection implements Layer {

    private static final int PAGE = 4096;

    /**
     * One subsection's share of the section.
     *
     * @param subsection the {@code _SUBSECTION}'s address
     * @param offset     the offset in the section of its first page
     * @param prototypes the kernel address of its first prototype PTE ({@code SubsectionBase})
     * @param pages      how many prototype PTEs it has ({@code PtesInSubsection})
     * @since 0.1
     */
    public record Run(long subsection, long offset, long prototypes, long pages) {

        long end() {
            return offset + pages * PAGE;
        }
    }

    private final X64Layer kernel;
    private final MemoryReader reader;
    private final String name;
    private final long controlArea;
    private final List<Run> runs;

    /**
     * @param kernel      the kernel address space prototype PTEs are read from
     * @param name        what the section is ("data section of \Device\HarddiskVolume3\x.txt")
     * @param controlArea its control area (named in reasons)
     * @param runs        its subsections, by offset, not overlapping
     */
    public MappedSection(X64Layer kernel, String name, long controlArea, List<Run> runs) {
        this.kernel = Objects.requireNonNull(kernel);
        this.reader = new MemoryReader(kernel);
        this.name = name;
        this.controlArea = controlArea;
        this.runs = List.copyOf(runs);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return one past the last byte any subsection covers */
    @Override
    public long size() {
        return runs.stream().mapToLong(Run::end).max().orElse(0);
    }

    /** @return the subsections, by offset */
    public List<Run> runs() {
        return runs;
    }

    /** @return the control area the section was read from */
    public long controlArea() {
        return controlArea;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        byte[] page = new byte[PAGE];
        int available = 0;
        while (length > 0) {
            int within = (int) (address & (PAGE - 1));
            int n = Math.min(length, PAGE - within);
            PageProvenance p = readPage(address - within, page);
            System.arraycopy(page, within, buffer, offset, n);
            if (p.isAvailable()) {
                available += n;
            }
            sink.accept(address, n, p);
            address += n;
            offset += n;
            length -= n;
        }
        return available;
    }

    /** Reads the page at section offset {@code at} through its prototype PTE. */
    private PageProvenance readPage(long at, byte[] page) {
        Run run = find(at);
        if (run == null) {
            Arrays.fill(page, (byte) 0);
            return new PageProvenance.Missing(new MissingCause.NotMapped(), "no subsection of control area " + hex(
                    controlArea) + " covers offset " + hex(at));
        }
        long pte = run.prototypes() + (at - run.offset()) / PAGE * 8;
        Readout<Long> value = reader.qword(pte, "prototype PTE of subsection " + hex(run.subsection()));
        if (!value.isPresent()) {
            Arrays.fill(page, (byte) 0);
            MissingCause cause = value.cause() != null ? value.cause() : new MissingCause.Unreadable();
            return new PageProvenance.Missing(cause, value.reason());
        }
        return kernel.readPrototype(value.get(), pte, page);
    }

    private Run find(long at) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Run r = runs.get(mid);
            if (at < r.offset()) {
                hi = mid - 1;
            } else if (at >= r.end()) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }
}
