package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;

/**
 * Finds code a process did not load: VADs of private memory (not a mapped image or file) that are
 * executable, committed and hold something — a PE header or other bytes in their first page — the way
 * injected payloads and unpacked code sit in a process after {@code VirtualAllocEx} with an executable
 * protection. Each finding carries the VAD (range, protection, pool tag), the first bytes, whether they are
 * a PE header, and where the region's pages come from (resident, paging file, compressed store, or missing
 * with a typed cause). The first page is read through the process layer, so a page held in a paging file or
 * the compressed store counts; a first page that cannot be read is still a finding, with the cause.
 *
 * @since 0.1
 */
public final class InjectedCode {

    /** How many leading bytes of a region a finding keeps. */
    public static final int FIRST_BYTES = 64;
    private static final int PAGE = 4096;

    /**
     * One executable private region.
     *
     * @param vad        the VAD
     * @param tag        the pool tag of its {@code _MMVAD_SHORT} (e.g. {@code VadS}), or why it could not be read
     * @param firstBytes the first {@link #FIRST_BYTES} bytes, or why they could not be read (typed cause)
     * @param firstPage  where the first page came from
     * @param peHeader   whether the first page begins with an MZ header whose e_lfanew leads to a PE signature
     * @param pages      where each page of the region comes from, counted by source
     * @since 0.1
     */
    public record Finding(WinVad vad, Readout<String> tag, Readout<byte[]> firstBytes, PageProvenance firstPage,
            boolean peHeader, PageSources pages) {
    }

    /**
     * The findings of one process and what went wrong walking its VADs.
     *
     * @param findings the executable private regions, in address order
     * @param warnings damage met in the VAD tree (cycles, unreadable nodes), each naming the node
     * @since 0.1
     */
    public record Scan(List<Finding> findings, List<String> warnings) {

        public Scan {
            findings = List.copyOf(findings);
            warnings = List.copyOf(warnings);
        }
    }

    private final VadWalker vads;
    private final MemoryReader kernel;

    /**
     * @param kernel the kernel address space (VADs and their pool headers)
     * @throws java.util.NoSuchElementException naming the VAD field the profile lacks
     */
    public InjectedCode(X64Layer kernel, Profile profile) {
        this.vads = new VadWalker(kernel, profile);
        this.kernel = new MemoryReader(Objects.requireNonNull(kernel));
    }

    /** @return whether an MM protection index allows execution (PAGE_EXECUTE and its READ/READWRITE/WRITECOPY forms) */
    public static boolean executable(int protection) {
        int p = protection & 7;
        return p == 2 || p == 3 || p == 6 || p == 7;
    }

    /** @return whether {@code page} begins with an MZ header whose e_lfanew leads to a "PE\0\0" signature */
    public static boolean peHeader(byte[] page) {
        if (page.length < 0x40 || page[0] != 'M' || page[1] != 'Z') {
            return false;
        }
        long lfanew = Bytes.u32(page, 0x3c);
        return lfanew >= 0x40 && lfanew + 4 <= page.length && page[(int) lfanew] == 'P' && page[(int) lfanew + 1]
                == 'E' && page[(int) lfanew + 2] == 0 && page[(int) lfanew + 3] == 0;
    }

    /**
     * Walks a process's VADs and reads each executable, committed private region's first page.
     *
     * @param eprocess the process's _EPROCESS
     * @param process  the process's address space
     */
    public Scan scan(long eprocess, Layer process) {
        VadList list = vads.walk(eprocess);
        List<Finding> findings = new ArrayList<>();
        for (WinVad v : list.vads()) {
            if (!v.privateMemory() || !executable(v.protection()) || v.commitCharge() == 0) {
                continue;
            }
            Finding f = examine(v, process);
            if (f != null) {
                findings.add(f);
            }
        }
        return new Scan(findings, list.warnings());
    }

    /** @return the finding for an executable private VAD, or null when its first page is all zeros */
    private Finding examine(WinVad v, Layer process) {
        byte[] page = new byte[PAGE];
        PageProvenance[] first = new PageProvenance[1];
        int got = process.read(v.start(), page, 0, PAGE, (a, l, p) -> {
            if (first[0] == null || !p.isAvailable() && first[0].isAvailable()) {
                first[0] = p;
            }
        });
        Readout<byte[]> bytes;
        if (got == PAGE) {
            if (allZero(page)) {
                return null; // committed but never written: nothing to run
            }
            bytes = Readout.of(java.util.Arrays.copyOf(page, FIRST_BYTES));
        } else {
            PageProvenance.Missing m = first[0] instanceof PageProvenance.Missing x ? x : null;
            bytes = m != null ? Readout.missing(m.cause(), "first page at " + hex(v.start()) + ": " + m.reason())
                    : Readout.missing("first page at " + hex(v.start()) + ": not readable");
        }
        Readout<String> tag = kernel.bytes(v.node() - 12, 4, "pool header of VAD " + hex(v.node())).map(
                InjectedCode::tag);
        return new Finding(v, tag, bytes, first[0], got == PAGE && peHeader(page), PageSources.of(process, v));
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String tag(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return s.toString();
    }
}
