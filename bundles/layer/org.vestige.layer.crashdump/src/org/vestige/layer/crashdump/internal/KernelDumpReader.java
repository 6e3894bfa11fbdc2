package org.vestige.layer.crashdump.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.MissingCause;
import org.vestige.layer.crashdump.AddressSpace;
import org.vestige.layer.crashdump.BitmapHeader;
import org.vestige.layer.crashdump.BugCheck;
import org.vestige.layer.crashdump.CpuContext;
import org.vestige.layer.crashdump.CrashDump;
import org.vestige.layer.crashdump.DumpHeader;
import org.vestige.layer.crashdump.DumpLayer;
import org.vestige.layer.crashdump.DumpType;
import org.vestige.layer.crashdump.ExceptionRecord;
import org.vestige.layer.crashdump.PhysicalMemoryDescriptor;
import org.vestige.layer.crashdump.PhysicalRun;
import org.vestige.layer.crashdump.TriageDump;
import org.vestige.layer.crashdump.X64Context;
import org.vestige.layer.crashdump.X86Context;

/**
 * Reads kernel crash dumps: the {@code DUMP_HEADER64}/{@code DUMP_HEADER32} fields, then the memory
 * the dump type implies (runs, bitmap, RDMP PFN ranges or triage data blocks).
 */
public final class KernelDumpReader {

    private static final int PAGE = 4096;
    /** Largest bitmap loaded (bytes): 1 GiB describes 32 TiB of physical memory. */
    private static final long MAX_BITMAP_BYTES = 1L << 30;
    /** Runs of a complete dump must describe pages below 2^52 (4 PiB), the x64 architectural limit. */
    private static final long MAX_PFN = 1L << 40;

    private KernelDumpReader() {
    }

    /** Looks at the first bytes only and explains the verdict. */
    public static ProbeResult probe(Path path) {
        try (DumpFile file = DumpFile.open(path)) {
            if (file.size() < 8) {
                return ProbeResult.no("file is %d bytes, too short for a crash dump signature".formatted(file.size()));
            }
            ByteBuffer sig = file.read(0, 8, "signature");
            String signature = ascii(sig, 0, 8);
            if (!signature.equals("PAGEDU64") && !signature.equals("PAGEDUMP")) {
                return ProbeResult.no("no kernel crash dump signature: starts with '%s', not PAGEDU64 or PAGEDUMP"
                        .formatted(printable(signature)));
            }
            boolean x64 = signature.equals("PAGEDU64");
            int headerSize = x64 ? 0x2000 : 0x1000;
            if (file.size() < headerSize) {
                return new ProbeResult(40, "%s signature, but the file is only 0x%x bytes and the header needs 0x%x (truncated)"
                        .formatted(signature, file.size(), headerSize));
            }
            ByteBuffer h = file.read(0, 0x40, "header");
            int machine = h.getInt(x64 ? 0x30 : 0x20);
            int dumpType = file.read(x64 ? 0xf98 : 0xf88, 4, "DumpType").getInt(0);
            int build = h.getInt(0xc);
            boolean machineOk = x64 ? (machine == 0x8664 || machine == 0xaa64) : (machine == 0x14c || machine == 0x1c4);
            DumpType type = DumpType.fromCode(dumpType);
            if (!machineOk) {
                return new ProbeResult(60, "%s signature, but MachineImageType 0x%x is not a %s machine"
                        .formatted(signature, machine, x64 ? "64-bit" : "32-bit"));
            }
            if (type == DumpType.UNKNOWN) {
                return new ProbeResult(70, "%s signature and %s machine, but DumpType %d is not one Vestige knows"
                        .formatted(signature, DumpHeader.machineName(machine), dumpType));
            }
            return ProbeResult.certain("%s kernel crash dump: %s, build %d, dump type %s (%d)"
                    .formatted(signature, DumpHeader.machineName(machine), build, type.label(), dumpType));
        } catch (EvidenceException | IOException e) {
            return ProbeResult.no("cannot read the file: " + e.getMessage());
        }
    }

    /** Opens and parses a crash dump. */
    public static CrashDump read(Path path) throws EvidenceException {
        DumpFile file = DumpFile.open(path);
        try {
            try {
                return parse(file);
            } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
                throw new EvidenceException(path, "crash dump structures are inconsistent: " + e.getMessage(), e);
            }
        } catch (EvidenceException | RuntimeException e) {
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static CrashDump parse(DumpFile file) throws EvidenceException {
        Path path = file.path();
        if (file.size() < 8) {
            throw new EvidenceException(path, "file is %d bytes, too short to be a crash dump".formatted(file.size()));
        }
        String signature = ascii(file.read(0, 8, "signature"), 0, 8);
        boolean x64;
        if (signature.equals("PAGEDU64")) {
            x64 = true;
        } else if (signature.equals("PAGEDUMP")) {
            x64 = false;
        } else {
            throw new EvidenceException(path, "not a kernel crash dump: signature at offset 0 is '%s', expected PAGEDU64 or PAGEDUMP"
                    .formatted(printable(signature)));
        }
        int headerSize = x64 ? 0x2000 : 0x1000;
        if (file.size() < headerSize) {
            throw new EvidenceException(path, "crash dump header truncated: the %s header needs 0x%x bytes but the file has 0x%x"
                    .formatted(signature, headerSize, file.size()));
        }
        ByteBuffer h = file.read(0, headerSize, signature + " header");
        List<String> warnings = new ArrayList<>();
        DumpHeader header = x64 ? header64(h, path) : header32(h, path);
        Optional<CpuContext> headerContext = headerContext(h, header);

        DumpType type = header.dumpType();
        Optional<BitmapHeader> bitmap = Optional.empty();
        Optional<TriageDump> triage = Optional.empty();
        DumpLayer memory;
        String next = file.size() >= headerSize + 8 ? ascii(file.read(headerSize, 8, "header after the main header"), 0, 8) : "";
        // in a complete dump the bytes after the header are the first page, so a signature there only
        // decides between layouts for the types that may use either
        boolean undecided = type == DumpType.SUMMARY || type == DumpType.AUTOMATIC || type == DumpType.UNKNOWN;
        boolean bitmapSignature = undecided && (next.equals("SDMPDUMP") || next.equals("FDMPDUMP"));
        boolean rdmpSignature = type == DumpType.UNKNOWN && next.startsWith("@\0\0\0RDMP");
        if (type == DumpType.TRIAGE) {
            TriageReader.Result t = TriageReader.read(file, header, warnings);
            triage = Optional.of(t.triage());
            memory = t.layer();
        } else if (type == DumpType.HEADER) {
            memory = MappedLayer.of("no memory (crash dump: %s)".formatted(path.getFileName()), AddressSpace.PHYSICAL, file,
                    List.of(), new MissingCause.NotCaptured(), "header-only crash dump (DumpType 3) holds no memory");
        } else if (bitmapSignature || type == DumpType.BITMAP_FULL || type == DumpType.BITMAP_KERNEL) {
            if (!x64) {
                throw new EvidenceException(path, "32-bit %s dumps (DumpType %d) are not supported: their summary header layout is not the 64-bit one"
                        .formatted(type.label(), header.dumpTypeCode()));
            }
            BitmapRead b = bitmap(file, headerSize, warnings);
            bitmap = Optional.of(b.header());
            memory = b.layer();
        } else if (rdmpSignature || type == DumpType.KERNEL_MEMORY || type == DumpType.KERNEL_AND_USER_MEMORY
                || type == DumpType.COMPLETE_MEMORY) {
            if (!x64) {
                throw new EvidenceException(path, "32-bit RDMP dumps (DumpType %d) are not supported".formatted(header.dumpTypeCode()));
            }
            memory = rdmp(file, header, headerSize, warnings);
        } else if (type == DumpType.FULL || type == DumpType.SUMMARY || type == DumpType.AUTOMATIC) {
            memory = runs(file, header, headerSize, warnings);
        } else {
            throw new EvidenceException(path, "DumpType %d at offset 0x%x is not a known crash dump type and no bitmap header follows the main header"
                    .formatted(header.dumpTypeCode(), x64 ? 0xf98 : 0xf88));
        }
        if (header.numberProcessors() <= 0 || header.numberProcessors() > 4096) {
            warnings.add("NumberProcessors %d is implausible".formatted(header.numberProcessors()));
        }
        return new CrashDump(path, header, memory, bitmap, triage, headerContext, warnings, file);
    }

    private static DumpHeader header64(ByteBuffer h, Path path) throws EvidenceException {
        List<Long> params = List.of(h.getLong(0x40), h.getLong(0x48), h.getLong(0x50), h.getLong(0x58));
        Optional<PhysicalMemoryDescriptor> pmb = Optional.empty();
        long runCount = Integer.toUnsignedLong(h.getInt(0x88));
        if (!DumpHeader.isFill(runCount) && !DumpHeader.isFill(h.getLong(0x90))) {
            int capacity = (700 - 16) / 16;
            if (runCount > capacity) {
                throw new EvidenceException(path, "PhysicalMemoryBlock at offset 0x88 claims %d runs; the header has room for %d"
                        .formatted(runCount, capacity));
            }
            List<PhysicalRun> runs = new ArrayList<>();
            long fileOffset = 0x2000;
            for (int i = 0; i < runCount; i++) {
                long base = h.getLong(0x98 + 16 * i);
                long count = h.getLong(0xa0 + 16 * i);
                runs.add(new PhysicalRun(base, count, fileOffset));
                fileOffset += count * PAGE;
            }
            pmb = Optional.of(new PhysicalMemoryDescriptor(runCount, h.getLong(0x90), runs));
        }
        int exCount = h.getInt(0xf18);
        List<Long> exParams = new ArrayList<>();
        for (int i = 0; i < Math.min(Integer.toUnsignedLong(exCount), ExceptionRecord.MAXIMUM_PARAMETERS); i++) {
            exParams.add(h.getLong(0xf20 + 8 * i));
        }
        ExceptionRecord exception = new ExceptionRecord(h.getInt(0xf00), h.getInt(0xf04), h.getLong(0xf08),
                h.getLong(0xf10), DumpHeader.isFill(exCount) ? List.of() : exParams);
        return new DumpHeader("PAGEDU64", h.getInt(0x8), h.getInt(0xc), h.getLong(0x10), h.getLong(0x18),
                h.getLong(0x20), h.getLong(0x28), h.getInt(0x30), h.getInt(0x34), new BugCheck(h.getInt(0x38), params),
                text(h, 0x60, 32), false, Byte.toUnsignedInt(h.get(0x104d)), h.getLong(0x80), pmb, exception,
                h.getInt(0xf98), h.getLong(0xfa0), fileTime(h.getLong(0xfa8)), upTime(h.getLong(0x1030)),
                text(h, 0xfb0, 128), h.getInt(0x1038), h.getInt(0x103c), h.getInt(0x1040), h.getInt(0x1044),
                h.getInt(0x1048), h.getInt(0x1050), h.getInt(0x1054));
    }

    private static DumpHeader header32(ByteBuffer h, Path path) throws EvidenceException {
        List<Long> params = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            params.add(u32(h, 0x2c + 4 * i));
        }
        Optional<PhysicalMemoryDescriptor> pmb = Optional.empty();
        long runCount = u32(h, 0x64);
        if (!DumpHeader.isFill(runCount)) {
            int capacity = (700 - 8) / 8;
            if (runCount > capacity) {
                throw new EvidenceException(path, "PhysicalMemoryBlock at offset 0x64 claims %d runs; the header has room for %d"
                        .formatted(runCount, capacity));
            }
            List<PhysicalRun> runs = new ArrayList<>();
            long fileOffset = 0x1000;
            for (int i = 0; i < runCount; i++) {
                long base = u32(h, 0x6c + 8 * i);
                long count = u32(h, 0x70 + 8 * i);
                runs.add(new PhysicalRun(base, count, fileOffset));
                fileOffset += count * PAGE;
            }
            pmb = Optional.of(new PhysicalMemoryDescriptor(runCount, u32(h, 0x68), runs));
        }
        int exCount = h.getInt(0x7e0);
        List<Long> exParams = new ArrayList<>();
        for (int i = 0; i < Math.min(Integer.toUnsignedLong(exCount), ExceptionRecord.MAXIMUM_PARAMETERS); i++) {
            exParams.add(u32(h, 0x7e4 + 4 * i));
        }
        ExceptionRecord exception = new ExceptionRecord(h.getInt(0x7d0), h.getInt(0x7d4), u32(h, 0x7d8),
                u32(h, 0x7dc), DumpHeader.isFill(exCount) ? List.of() : exParams);
        return new DumpHeader("PAGEDUMP", h.getInt(0x8), h.getInt(0xc), u32(h, 0x10), u32(h, 0x14), u32(h, 0x18),
                u32(h, 0x1c), h.getInt(0x20), h.getInt(0x24), new BugCheck(h.getInt(0x28), params), text(h, 0x3c, 32),
                h.get(0x5c) == 1, Byte.toUnsignedInt(h.get(0x5d)), u32(h, 0x60), pmb, exception, h.getInt(0xf88),
                h.getLong(0xfa0), fileTime(h.getLong(0xfc0)), upTime(h.getLong(0xfb8)), text(h, 0x820, 128),
                h.getInt(0xf8c), h.getInt(0xf90), h.getInt(0xf94), h.getInt(0xf98), h.getInt(0xf9c), 0, 0);
    }

    /** Decodes the header's ContextRecord for the dump's machine, unless the kernel left it as filler. */
    private static Optional<CpuContext> headerContext(ByteBuffer h, DumpHeader header) {
        int offset = header.contextRecordOffset();
        int size = header.is64Bit() ? X64Context.SIZE : X86Context.SIZE;
        byte[] raw = new byte[size];
        h.get(offset, raw);
        if (DumpHeader.isFill(h.getLong(offset)) && DumpHeader.isFill(h.getLong(offset + 0x30))) {
            return Optional.empty();
        }
        return switch (header.machineImageType()) {
            case 0x8664 -> Optional.of(X64Context.parse(raw));
            case 0x14c -> Optional.of(X86Context.parse(raw));
            default -> Optional.empty();
        };
    }

    private static DumpLayer runs(DumpFile file, DumpHeader header, int headerSize, List<String> warnings)
            throws EvidenceException {
        Path path = file.path();
        PhysicalMemoryDescriptor pmb = header.physicalMemoryBlock().orElseThrow(() -> new EvidenceException(path,
                "%s dump (DumpType %d) has no PhysicalMemoryBlock (the header holds the 'PAGE' filler there) and no bitmap header at 0x%x"
                        .formatted(header.dumpType().label(), header.dumpTypeCode(), headerSize)));
        List<MappedLayer.Segment> segments = new ArrayList<>();
        long totalPages = 0;
        for (PhysicalRun run : pmb.runs()) {
            if (run.basePage() < 0 || run.basePage() >= MAX_PFN || run.pageCount() < 0 || run.pageCount() >= MAX_PFN) {
                throw new EvidenceException(path, "PhysicalMemoryBlock run (base page 0x%x, 0x%x pages) is outside any physical address space"
                        .formatted(run.basePage(), run.pageCount()));
            }
            segments.add(new MappedLayer.Segment(run.physicalAddress(), run.byteCount(), run.fileOffset()));
            totalPages += run.pageCount();
        }
        if (totalPages != pmb.numberOfPages()) {
            warnings.add("PhysicalMemoryBlock runs add up to %d pages but NumberOfPages says %d".formatted(totalPages, pmb.numberOfPages()));
        }
        long expected = headerSize + totalPages * PAGE;
        if (file.size() < expected) {
            warnings.add("file is 0x%x bytes but its runs need 0x%x: truncated, pages from file offset 0x%x on read as missing"
                    .formatted(file.size(), expected, file.size()));
        }
        return MappedLayer.of("physical (crash dump: %s)".formatted(path.getFileName()), AddressSpace.PHYSICAL, file, segments,
                new MissingCause.OutsideImage(), "page not in dump (outside the PhysicalMemoryBlock runs)");
    }

    /** A parsed bitmap header and the layer over it. */
    private record BitmapRead(BitmapHeader header, BitmapLayer layer) {
    }

    private static BitmapRead bitmap(DumpFile file, int headerSize, List<String> warnings) throws EvidenceException {
        Path path = file.path();
        ByteBuffer b = file.read(headerSize, 0x38, "bitmap dump header");
        String signature = ascii(b, 0, 4);
        String valid = ascii(b, 4, 4);
        if (!(signature.equals("SDMP") || signature.equals("FDMP")) || !valid.equals("DUMP")) {
            throw new EvidenceException(path, "bitmap dump header at offset 0x%x reads '%s%s', expected SDMPDUMP or FDMPDUMP"
                    .formatted(headerSize, printable(signature), printable(valid)));
        }
        long firstPage = b.getLong(0x20);
        long present = b.getLong(0x28);
        long pages = b.getLong(0x30);
        long bitmapOffset = headerSize + 0x38;
        if (pages <= 0 || pages > MAX_BITMAP_BYTES * 8) {
            throw new EvidenceException(path, "bitmap dump header at offset 0x%x describes 0x%x pages, outside 1..0x%x"
                    .formatted(headerSize, pages, MAX_BITMAP_BYTES * 8));
        }
        long bitmapBytes = (pages + 7) / 8;
        if (bitmapOffset + bitmapBytes > file.size()) {
            throw new EvidenceException(path, "bitmap at offset 0x%x (0x%x bytes for 0x%x pages) runs past the end of the file (0x%x bytes)"
                    .formatted(bitmapOffset, bitmapBytes, pages, file.size()));
        }
        if (firstPage < bitmapOffset + bitmapBytes) {
            throw new EvidenceException(path, "bitmap dump header at offset 0x%x puts the first page at 0x%x, inside the bitmap (which ends at 0x%x)"
                    .formatted(headerSize, firstPage, bitmapOffset + bitmapBytes));
        }
        long[] words = new long[(int) ((pages + 63) / 64)];
        int chunk = 1 << 24;
        for (long done = 0; done < bitmapBytes; done += chunk) {
            int n = (int) Math.min(chunk, bitmapBytes - done);
            ByteBuffer part = file.read(bitmapOffset + done, n, "page bitmap");
            int word = (int) (done / 8);
            while (part.remaining() >= 8) {
                words[word++] = part.getLong();
            }
            int shift = 0;
            long last = 0;
            while (part.hasRemaining()) {
                last |= Byte.toUnsignedLong(part.get()) << shift;
                shift += 8;
            }
            if (shift > 0) {
                words[word] = last;
            }
        }
        BitmapLayer layer = new BitmapLayer("physical (bitmap crash dump: %s)".formatted(path.getFileName()), file, words,
                pages, firstPage);
        long counted = layer.presentPages();
        if (counted != present) {
            warnings.add("bitmap has %d pages set but TotalPresentPages in the header at 0x%x says %d"
                    .formatted(counted, headerSize, present));
        }
        long expected = firstPage + counted * PAGE;
        if (file.size() < expected) {
            warnings.add("file is 0x%x bytes but its %d present pages need 0x%x: truncated, pages from file offset 0x%x on read as missing"
                    .formatted(file.size(), counted, expected, file.size()));
        }
        return new BitmapRead(new BitmapHeader(signature, firstPage, present, pages, counted), layer);
    }

    /**
     * Newer kernel dumps (DumpType 8, 9, 10) follow the main header with an 'RDMP' header (marker 0x40,
     * metadata size at +0x10, first page offset at +0x18) and then a list of (first PFN, page count)
     * ranges at +0x30; the pages of the ranges are stored in order from the first page offset.
     */
    private static DumpLayer rdmp(DumpFile file, DumpHeader header, int headerSize, List<String> warnings)
            throws EvidenceException {
        Path path = file.path();
        ByteBuffer r = file.read(headerSize, 0x30, "RDMP header");
        if (r.getInt(0) != 0x40 || !ascii(r, 4, 4).equals("RDMP") || !ascii(r, 8, 4).equals("DUMP")) {
            throw new EvidenceException(path, "RDMP header at offset 0x%x is not valid: marker 0x%x, signature '%s%s' (expected 0x40, RDMPDUMP)"
                    .formatted(headerSize, r.getInt(0), printable(ascii(r, 4, 4)), printable(ascii(r, 8, 4))));
        }
        long metadataSize = r.getLong(0x10);
        long firstPage = r.getLong(0x18);
        boolean complete = header.dumpType() == DumpType.COMPLETE_MEMORY;
        long totalPages = complete ? r.getLong(0x28) : -1;
        long rangesOffset = headerSize + 0x30;
        if (metadataSize <= 0 || metadataSize % 16 != 0 || metadataSize > file.size()) {
            throw new EvidenceException(path, "RDMP header at offset 0x%x has metadata size 0x%x, which is not a positive multiple of 16 within the file"
                    .formatted(headerSize, metadataSize));
        }
        if (firstPage < rangesOffset || firstPage - 0x2040 != metadataSize - 0x20) {
            warnings.add("RDMP header: first page offset 0x%x and metadata size 0x%x disagree".formatted(firstPage, metadataSize));
        }
        long entries = metadataSize / 16;
        long readable = Math.min(entries, (file.size() - rangesOffset) / 16);
        ByteBuffer table = file.read(rangesOffset, (int) Math.min(readable * 16, Integer.MAX_VALUE - 8), "RDMP PFN ranges");
        List<MappedLayer.Segment> segments = new ArrayList<>();
        long fileOffset = firstPage;
        long pages = 0;
        for (long i = 0; i < readable; i++) {
            if (complete && pages >= totalPages) {
                break;
            }
            long pfn = table.getLong((int) (i * 16));
            long count = table.getLong((int) (i * 16 + 8));
            if (pfn == 0) {
                break;
            }
            if (pfn < 0 || pfn >= MAX_PFN || count <= 0 || count >= MAX_PFN) {
                throw new EvidenceException(path, "RDMP PFN range at offset 0x%x (first page 0x%x, 0x%x pages) is corrupt"
                        .formatted(rangesOffset + i * 16, pfn, count));
            }
            segments.add(new MappedLayer.Segment(pfn * PAGE, count * PAGE, fileOffset));
            fileOffset += count * PAGE;
            pages += count;
        }
        if (complete && pages != totalPages) {
            warnings.add("RDMP ranges add up to %d pages but the header says %d".formatted(pages, totalPages));
        }
        if (file.size() < fileOffset) {
            warnings.add("file is 0x%x bytes but its ranges need 0x%x: truncated, pages from file offset 0x%x on read as missing"
                    .formatted(file.size(), fileOffset, file.size()));
        }
        return MappedLayer.of("physical (RDMP crash dump: %s)".formatted(path.getFileName()), AddressSpace.PHYSICAL, file,
                segments, complete ? new MissingCause.OutsideImage() : new MissingCause.NotCaptured(),
                "page not in dump (outside the RDMP PFN ranges)");
    }

    static long u32(ByteBuffer b, int offset) {
        return Integer.toUnsignedLong(b.getInt(offset));
    }

    static String ascii(ByteBuffer b, int offset, int length) {
        byte[] raw = new byte[length];
        b.get(offset, raw);
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** A NUL-terminated text field, empty when the kernel left the filler in it. */
    private static String text(ByteBuffer b, int offset, int length) {
        String s = ascii(b, offset, length);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul);
        }
        if (s.startsWith("PAGEPAGE") || s.equals("PAGE")) {
            return "";
        }
        return s.strip();
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : "\\x%02x".formatted((int) c));
        }
        return out.toString();
    }

    private static Optional<Instant> fileTime(long ticks) {
        if (ticks <= 0 || DumpHeader.isFill(ticks)) {
            return Optional.empty();
        }
        // FILETIME counts 100 ns ticks from 1601-01-01
        long seconds = ticks / 10_000_000L - 11_644_473_600L;
        return Optional.of(Instant.ofEpochSecond(seconds, (ticks % 10_000_000L) * 100));
    }

    private static Optional<Duration> upTime(long ticks) {
        if (ticks < 0 || DumpHeader.isFill(ticks)) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(ticks / 10_000_000L, (ticks % 10_000_000L) * 100));
    }
}
