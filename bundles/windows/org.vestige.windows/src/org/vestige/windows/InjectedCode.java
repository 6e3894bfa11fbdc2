package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.PeImage;

/**
 * Finds code a process did not load: VADs of private memory (not a mapped image or file) that are
 * executable, committed and hold something — a PE header or other bytes in their first page — the way
 * injected payloads and unpacked code sit in a process after {@code VirtualAllocEx} with an executable
 * protection; and code a process changed in an image it did load: pages of an image's executable sections
 * that the process holds a copy of its own of (copy-on-write) whose bytes differ from the image's shared
 * page, the way inline hooks and patches sit after {@code WriteProcessMemory}. Each finding carries the VAD (range, protection, pool tag), the first bytes, whether they are
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
     * A run of pages of an image's executable section that the process changed: each its own copy
     * (copy-on-write) with bytes other than the image's shared page.
     *
     * @param vad       the image VAD
     * @param section   the PE section the pages lie in (e.g. {@code .text})
     * @param start     the first byte of the run's first page
     * @param end       the last byte of the run's last page
     * @param address   the first byte that differs from the image's page (the page's last {@link #FIRST_BYTES}
     *                  bytes begin earlier when the difference lies among them)
     * @param bytes     {@link #FIRST_BYTES} bytes of the process's copy from {@code address}
     * @param firstPage where the process's copy of the first page came from
     * @param pages     where each page of the run comes from, counted by source
     * @since 0.1
     */
    public record Patch(WinVad vad, String section, long start, long end, long address, byte[] bytes,
            PageProvenance firstPage, PageSources pages) {
    }

    /**
     * The findings of one process and what went wrong walking its VADs.
     *
     * @param findings  the executable private regions, in address order
     * @param patches   the changed runs of executable image pages, in address order
     * @param unchecked own copies of executable image pages that could not be compared with the image's page
     *                  (one side unreadable), each with why
     * @param warnings  damage met in the VAD tree (cycles, unreadable nodes), each naming the node
     * @since 0.1
     */
    public record Scan(List<Finding> findings, List<Patch> patches, List<String> unchecked, List<String> warnings) {

        public Scan {
            findings = List.copyOf(findings);
            patches = List.copyOf(patches);
            unchecked = List.copyOf(unchecked);
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
     * Walks a process's VADs, reads each executable, committed private region's first page and, in an
     * address space whose page tables are read ({@link X64Layer}), compares the process's own copies of
     * executable image pages with the image's.
     *
     * @param eprocess the process's _EPROCESS
     * @param process  the process's address space
     */
    public Scan scan(long eprocess, Layer process) {
        VadList list = vads.walk(eprocess);
        List<Finding> findings = new ArrayList<>();
        List<Patch> patches = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (WinVad v : list.vads()) {
            if (v.image() && process instanceof X64Layer x) {
                new ImagePatches(x, v, patches, unchecked).find();
                continue;
            }
            if (!v.privateMemory() || !executable(v.protection()) || v.commitCharge() == 0) {
                continue;
            }
            Finding f = examine(v, process);
            if (f != null) {
                findings.add(f);
            }
        }
        return new Scan(findings, patches, unchecked, list.warnings());
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
        return new Finding(v, tag(v), bytes, first[0], got == PAGE && peHeader(page), PageSources.of(process, v));
    }

    /** Compares the own copies of one image VAD's executable pages with the image's pages. */
    private final class ImagePatches {
        private final X64Layer process;
        private final WinVad vad;
        private final List<Patch> patches;
        private final List<String> unchecked;
        private long runStart = -1;
        private long runEnd;
        private long runAddress;
        private byte[] runBytes;
        private PageProvenance runFirst;
        private String runSection;

        ImagePatches(X64Layer process, WinVad vad, List<Patch> patches, List<String> unchecked) {
            this.process = process;
            this.vad = vad;
            this.patches = patches;
            this.unchecked = unchecked;
        }

        void find() {
            List<PeImage.Section> code;
            try {
                code = PeImage.read(process, vad.start()).sections().stream().filter(PeImage.Section::executable)
                        .toList();
            } catch (PeImage.NotPeException e) {
                if (process.ownCopyOf(vad.start()) != -1) {
                    unchecked.add("image at " + hex(vad.start()) + ": its executable sections are not known ("
                            + e.getMessage() + ")");
                }
                return;
            }
            for (PeImage.Section s : code) {
                long first = vad.start() + (s.rva() & 0xffffffffL);
                long pages = Math.min(((s.virtualSize() & 0xffffffffL) + 0xfff) >>> 12, PageSources.MAX_PAGES);
                for (long i = 0; i < pages; i++) {
                    long va = first + (i << 12);
                    if (!vad.contains(va)) {
                        break;
                    }
                    page(va, s.name());
                }
                close();
            }
        }

        private void page(long va, String section) {
            long proto = process.ownCopyOf(va);
            if (proto == -1) {
                close();
                return;
            }
            byte[] own = new byte[PAGE];
            PageProvenance[] from = new PageProvenance[1];
            int got = process.read(va, own, 0, PAGE, (a, l, p) -> {
                if (from[0] == null || !p.isAvailable()) {
                    from[0] = p;
                }
            });
            byte[] image = new byte[PAGE];
            Readout<Long> pte = kernel.qword(proto, "prototype PTE of " + hex(va));
            PageProvenance shared = pte.isPresent() ? process.readPrototype(pte.get(), proto, image) : null;
            if (got != PAGE || shared == null || !shared.isAvailable()) {
                unchecked.add("page " + hex(va) + " (" + section + "): the process's own copy is "
                        + (got != PAGE ? "unreadable (" + PageSources.label(from[0]) + ")" : "read") + ", the image's page "
                        + (shared == null ? "unreadable (" + pte.reason() + ")" : shared.isAvailable() ? "read"
                                : "unreadable (" + PageSources.label(shared) + ")"));
                close();
                return;
            }
            int diff = java.util.Arrays.mismatch(own, image);
            if (diff < 0) {
                close(); // a copy the process made and left as it was
                return;
            }
            if (runStart == -1) {
                runStart = va;
                int at = Math.min(diff, PAGE - FIRST_BYTES);
                runBytes = java.util.Arrays.copyOfRange(own, at, at + FIRST_BYTES);
                runAddress = va + at;
                runFirst = from[0];
                runSection = section;
            }
            runEnd = va + PAGE - 1;
        }

        private void close() {
            if (runStart != -1) {
                patches.add(new Patch(vad, runSection, runStart, runEnd, runAddress, runBytes, runFirst, PageSources
                        .of(process, runStart, ((runEnd - runStart) >>> 12) + 1)));
                runStart = -1;
            }
        }
    }

    /** @return the pool tag of a VAD's node (e.g. {@code VadS}, {@code Vad }), or why it could not be read */
    public Readout<String> tag(WinVad v) {
        return kernel.bytes(v.node() - 12, 4, "pool header of VAD " + hex(v.node())).map(InjectedCode::tag);
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
