package org.vestige.layer.crashdump;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * Writes a full-memory minidump of one process: system information, the module list, the thread list
 * with register contexts, optionally an exception and the process id, and the captured memory as a
 * {@code Memory64ListStream}. The output follows dbghelp's conventions (4-byte aligned structures,
 * 16-byte aligned contexts, 32-bit RVAs for everything but the memory, which comes last with a
 * 64-bit base RVA), so WinDbg, lldb, rust-minidump and {@link Minidump} read it.
 *
 * <p>Memory is streamed from a {@link Layer} range by range and never held whole. By default bytes the
 * layer cannot supply are written as zeros and counted in {@link Result#unavailableBytes()}; with
 * {@link #omitUnavailable(boolean) omitUnavailable(true)} they are left out instead: the ranges are split
 * around them, so a reader finds those addresses absent rather than zero, and each run left out is
 * listed in {@link Result#omitted()} with the layer's reason. The file is hashed (SHA-256) while it is
 * written.
 *
 * <pre>{@code
 * MinidumpWriter w = new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041, "", 4))
 *         .processId(612)
 *         .module(new MinidumpWriter.Module("C:\\Windows\\System32\\lsass.exe", 0x7ff6_1000_0000L, 0x14000,
 *                 timeDateStamp, checkSum))
 *         .thread(new MinidumpWriter.Thread(700, teb, stackBase, stackSize, context))
 *         .memory(0x7ff6_1000_0000L, 0x14000);
 * MinidumpWriter.Result r = w.write(Path.of("lsass.dmp"), processLayer);
 * }</pre>
 *
 * @since 0.1
 */
public final class MinidumpWriter {

    /**
     * A module to list.
     *
     * @param codeView the PDB reference to record, if known
     */
    public record Module(String name, long base, long size, int timeDateStamp, int checkSum,
            Optional<CodeViewRecord> codeView) {

        public Module {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(codeView, "codeView");
            if (size < 0 || size > 0xffffffffL) {
                throw new IllegalArgumentException("module size must fit 32 bits: " + size);
            }
        }

        public Module(String name, long base, long size, int timeDateStamp, int checkSum) {
            this(name, base, size, timeDateStamp, checkSum, Optional.empty());
        }
    }

    /**
     * A thread to list.
     *
     * @param stackStart lowest address of the thread's stack (its current stack pointer, rounded down)
     * @param stackSize  bytes of stack to point at; they must lie within a captured memory range to be referenced
     * @param context    the thread's registers, if known
     */
    public record Thread(int id, long teb, long stackStart, long stackSize, Optional<CpuContext> context,
            int suspendCount, int priorityClass, int priority) {

        public Thread {
            Objects.requireNonNull(context, "context");
        }

        public Thread(int id, long teb, long stackStart, long stackSize, CpuContext context) {
            this(id, teb, stackStart, stackSize, Optional.ofNullable(context), 0, 0x20, 0);
        }
    }

    /**
     * What {@link #write} produced.
     *
     * @param file             the minidump written
     * @param size             its size in bytes
     * @param sha256           its SHA-256, lower-case hex
     * @param memoryRanges     memory ranges written (after merging overlaps and, when unavailable bytes are
     *                         omitted, splitting around them)
     * @param memoryBytes      bytes of memory written
     * @param unavailableBytes bytes of those the source layer could not supply (written as zeros); always 0
     *                         when unavailable bytes are omitted
     * @param omitted          the runs of requested memory left out because the layer could not supply them,
     *                         in address order; empty unless {@link #omitUnavailable(boolean)} was set
     */
    public record Result(Path file, long size, String sha256, int memoryRanges, long memoryBytes,
            long unavailableBytes, List<Omitted> omitted) {

        public Result {
            omitted = List.copyOf(omitted);
        }

        /** @return the bytes of requested memory left out */
        public long omittedBytes() {
            return omitted.stream().mapToLong(Omitted::size).sum();
        }
    }

    /**
     * A run of requested memory the source layer could not supply, left out of the file.
     *
     * @param base       its first address
     * @param size       its length in bytes
     * @param provenance what the layer reported for it (a {@link PageProvenance.Missing} with the reason)
     * @since 0.1
     */
    public record Omitted(long base, long size, PageProvenance provenance) {

        public Omitted {
            Objects.requireNonNull(provenance, "provenance");
        }

        /** @return the layer's reason, e.g. "paged out to pagefile.sys (slot 0) at offset 0x1a000" */
        public String reason() {
            return provenance instanceof PageProvenance.Missing m ? m.reason() : provenance.kind();
        }

        /** @return why the run is missing, as the layer reported it (unreadable when it reported no cause) */
        public MissingCause cause() {
            return provenance instanceof PageProvenance.Missing m ? m.cause() : new MissingCause.Unreadable();
        }
    }

    private record Range(long base, long size) {
    }

    private static final int HEADER = 32;
    private static final int DIRECTORY_ENTRY = 12;
    private static final int CHUNK = 1 << 20;

    private final SystemInfo systemInfo;
    private final List<Module> modules = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Range> ranges = new ArrayList<>();
    private Long processId;
    private Instant processCreateTime;
    private Instant timestamp = Instant.now();
    private int exceptionThread;
    private ExceptionRecord exception;
    private boolean omitUnavailable;

    /** @param systemInfo the processor and OS to record; its architecture decides the context layout */
    public MinidumpWriter(SystemInfo systemInfo) {
        this.systemInfo = Objects.requireNonNull(systemInfo, "systemInfo");
    }

    public MinidumpWriter module(Module module) {
        modules.add(Objects.requireNonNull(module));
        return this;
    }

    public MinidumpWriter thread(Thread thread) {
        CpuContext c = thread.context().orElse(null);
        ProcessorArchitecture arch = systemInfo.architecture();
        if (c != null && arch == ProcessorArchitecture.AMD64 && !(c instanceof X64Context)) {
            throw new IllegalArgumentException("thread %d: an x64 dump needs an x64 context, got %s".formatted(thread.id(), c.architecture()));
        }
        if (c != null && (arch == ProcessorArchitecture.X86 || arch == ProcessorArchitecture.X86_ON_WIN64) && !(c instanceof X86Context)) {
            throw new IllegalArgumentException("thread %d: an x86 dump needs an x86 context, got %s".formatted(thread.id(), c.architecture()));
        }
        threads.add(thread);
        return this;
    }

    /** Adds {@code size} bytes of memory at {@code base} (unsigned) to capture; overlapping ranges are merged. */
    public MinidumpWriter memory(long base, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative range size " + size);
        }
        if (size > 0) {
            ranges.add(new Range(base, size));
        }
        return this;
    }

    public MinidumpWriter processId(long processId) {
        this.processId = processId;
        return this;
    }

    public MinidumpWriter processCreateTime(Instant created) {
        this.processCreateTime = created;
        return this;
    }

    /** Sets the header's time stamp (default: when the writer was created). */
    public MinidumpWriter timestamp(Instant timestamp) {
        this.timestamp = Objects.requireNonNull(timestamp);
        return this;
    }

    /**
     * Whether bytes the source layer cannot supply are left out of the file (the captured ranges split
     * around them and each run listed in {@link Result#omitted()}) rather than written as zeros. The
     * memory is then read once into a spool file beside the output, because the range list precedes the
     * memory in the file and its length is known only once every byte has been read.
     */
    public MinidumpWriter omitUnavailable(boolean omit) {
        this.omitUnavailable = omit;
        return this;
    }

    /** Records that thread {@code threadId} raised {@code record}; its context becomes the exception context. */
    public MinidumpWriter exception(int threadId, ExceptionRecord record) {
        this.exceptionThread = threadId;
        this.exception = Objects.requireNonNull(record);
        return this;
    }

    /**
     * Writes the minidump to {@code out} (replacing it), reading the captured ranges from {@code memory}.
     *
     * @throws IOException when the file cannot be written
     * @throws IllegalStateException when the metadata does not fit below 4 GiB (the 32-bit RVA limit)
     */
    public Result write(Path out, Layer memory) throws IOException {
        List<Range> merged = merge(ranges);
        if (!omitUnavailable) {
            return writeFile(out, merged, List.of(), (o, kept) -> {
                long unavailable = 0;
                byte[] chunk = new byte[CHUNK];
                for (Range r : kept) {
                    for (long done = 0; done < r.size();) {
                        int n = (int) Math.min(CHUNK, r.size() - done);
                        int got = memory.read(r.base() + done, chunk, 0, n);
                        unavailable += n - got;
                        o.write(chunk, 0, n);
                        done += n;
                    }
                }
                return unavailable;
            });
        }
        Path dir = out.toAbsolutePath().getParent();
        Path spool = Files.createTempFile(dir, out.getFileName() + ".", ".spool");
        // removed below on every path the code sees; on a signal the JVM sees (SIGTERM, Ctrl-C) by its exit hook
        spool.toFile().deleteOnExit();
        try {
            List<Range> kept = new ArrayList<>();
            List<Omitted> omitted = new ArrayList<>();
            try (OutputStream s = new BufferedOutputStream(Files.newOutputStream(spool), CHUNK)) {
                spoolAvailable(memory, merged, s, kept, omitted);
            }
            return writeFile(out, kept, omitted, (o, k) -> {
                Files.copy(spool, o);
                return 0;
            });
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Writes the memory of the ranges in order and returns the bytes the source could not supply. */
    @FunctionalInterface
    private interface MemoryBody {
        long write(OutputStream out, List<Range> ranges) throws IOException;
    }

    /** A run of bytes as the layer reported it. */
    private record Run(long address, int length, PageProvenance provenance) {
    }

    /**
     * Reads every range once, appending the bytes the layer supplies to {@code spool} and splitting the
     * ranges around the runs it cannot supply (adjacent runs with the same provenance are joined).
     */
    private static void spoolAvailable(Layer memory, List<Range> merged, OutputStream spool, List<Range> kept,
            List<Omitted> omitted) throws IOException {
        byte[] chunk = new byte[CHUNK];
        List<Run> runs = new ArrayList<>();
        for (Range r : merged) {
            for (long done = 0; done < r.size();) {
                int n = (int) Math.min(CHUNK, r.size() - done);
                long base = r.base() + done;
                runs.clear();
                memory.read(base, chunk, 0, n, (a, l, p) -> runs.add(new Run(a, l, p)));
                long next = base;
                for (Run run : runs) {
                    long from = Math.max(run.address() - base, next - base);
                    long to = Math.min(run.address() - base + run.length(), n);
                    if (to <= from) {
                        continue;
                    }
                    if (base + from != next) {
                        omit(omitted, next, base + from - next, NOTHING_REPORTED);
                    }
                    if (run.provenance().isAvailable()) {
                        spool.write(chunk, (int) from, (int) (to - from));
                        keep(kept, base + from, to - from);
                    } else {
                        omit(omitted, base + from, to - from, run.provenance());
                    }
                    next = base + to;
                }
                if (next != base + n) {
                    omit(omitted, next, base + n - next, NOTHING_REPORTED);
                }
                done += n;
            }
        }
    }

    private static final PageProvenance NOTHING_REPORTED = new PageProvenance.Missing(new MissingCause.OutsideImage(),
            "the source layer reported nothing for these bytes");

    private static void keep(List<Range> kept, long base, long size) {
        if (!kept.isEmpty()) {
            Range last = kept.get(kept.size() - 1);
            if (last.base() + last.size() == base) {
                kept.set(kept.size() - 1, new Range(last.base(), last.size() + size));
                return;
            }
        }
        kept.add(new Range(base, size));
    }

    private static void omit(List<Omitted> omitted, long base, long size, PageProvenance provenance) {
        if (!omitted.isEmpty()) {
            Omitted last = omitted.get(omitted.size() - 1);
            if (last.base() + last.size() == base && last.provenance().equals(provenance)) {
                omitted.set(omitted.size() - 1, new Omitted(last.base(), last.size() + size, provenance));
                return;
            }
        }
        omitted.add(new Omitted(base, size, provenance));
    }

    private Result writeFile(Path out, List<Range> merged, List<Omitted> omitted, MemoryBody body)
            throws IOException {
        Layout layout = new Layout();
        boolean hasException = exception != null;
        boolean hasMisc = processId != null;
        int streamCount = 4 + (hasException ? 1 : 0) + (hasMisc ? 1 : 0);
        layout.skip(HEADER + streamCount * DIRECTORY_ENTRY);

        long systemInfoRva = layout.take(56, 4);
        long csdRva = layout.take(stringSize(systemInfo.csdVersion()), 4);
        long moduleListRva = layout.take(4 + 108L * modules.size(), 4);
        long[] nameRva = new long[modules.size()];
        long[] cvRva = new long[modules.size()];
        byte[][] cv = new byte[modules.size()][];
        for (int i = 0; i < modules.size(); i++) {
            nameRva[i] = layout.take(stringSize(modules.get(i).name()), 4);
            cv[i] = modules.get(i).codeView().map(MinidumpWriter::codeViewBytes).orElse(null);
            cvRva[i] = cv[i] == null ? 0 : layout.take(cv[i].length, 4);
        }
        long threadListRva = layout.take(4 + 48L * threads.size(), 4);
        long[] contextRva = new long[threads.size()];
        byte[][] contexts = new byte[threads.size()][];
        for (int i = 0; i < threads.size(); i++) {
            contexts[i] = threads.get(i).context().map(CpuContext::raw).orElse(null);
            contextRva[i] = contexts[i] == null ? 0 : layout.take(contexts[i].length, 16);
        }
        long exceptionRva = hasException ? layout.take(168, 4) : 0;
        long miscRva = hasMisc ? layout.take(24, 4) : 0;
        long memoryListRva = layout.take(16 + 16L * merged.size(), 8);
        long dataRva = layout.take(0, 16);
        if (dataRva > 0xffffffffL) {
            throw new IllegalStateException("minidump metadata needs 0x%x bytes, more than 32-bit RVAs address".formatted(dataRva));
        }

        ByteBuffer b = ByteBuffer.allocate((int) dataRva).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MinidumpHeader.SIGNATURE);
        b.putInt(4, MinidumpHeader.VERSION);
        b.putInt(8, streamCount);
        b.putInt(12, HEADER);
        b.putInt(16, 0);
        b.putInt(20, (int) Math.max(0, Math.min(0xffffffffL, timestamp.getEpochSecond())));
        b.putLong(24, MinidumpHeader.WITH_FULL_MEMORY);

        int dir = HEADER;
        dir = directory(b, dir, MinidumpStream.SYSTEM_INFO, 56, systemInfoRva);
        dir = directory(b, dir, MinidumpStream.MODULE_LIST, 4 + 108L * modules.size(), moduleListRva);
        dir = directory(b, dir, MinidumpStream.THREAD_LIST, 4 + 48L * threads.size(), threadListRva);
        if (hasException) {
            dir = directory(b, dir, MinidumpStream.EXCEPTION, 168, exceptionRva);
        }
        if (hasMisc) {
            dir = directory(b, dir, MinidumpStream.MISC_INFO, 24, miscRva);
        }
        directory(b, dir, MinidumpStream.MEMORY64_LIST, 16 + 16L * merged.size(), memoryListRva);

        int s = (int) systemInfoRva;
        b.putShort(s, (short) systemInfo.processorArchitecture());
        b.putShort(s + 2, (short) systemInfo.processorLevel());
        b.putShort(s + 4, (short) systemInfo.processorRevision());
        b.put(s + 6, (byte) systemInfo.numberOfProcessors());
        b.put(s + 7, (byte) systemInfo.productType());
        b.putInt(s + 8, systemInfo.majorVersion());
        b.putInt(s + 12, systemInfo.minorVersion());
        b.putInt(s + 16, systemInfo.buildNumber());
        b.putInt(s + 20, systemInfo.platformId());
        b.putInt(s + 24, (int) csdRva);
        b.putShort(s + 28, (short) systemInfo.suiteMask());
        byte[] vendor = systemInfo.cpuVendor().getBytes(StandardCharsets.ISO_8859_1);
        b.put(s + 32, vendor, 0, Math.min(12, vendor.length));
        putString(b, csdRva, systemInfo.csdVersion());

        int m = (int) moduleListRva;
        b.putInt(m, modules.size());
        for (int i = 0; i < modules.size(); i++) {
            Module mod = modules.get(i);
            int e = m + 4 + 108 * i;
            b.putLong(e, mod.base());
            b.putInt(e + 8, (int) mod.size());
            b.putInt(e + 12, mod.checkSum());
            b.putInt(e + 16, mod.timeDateStamp());
            b.putInt(e + 20, (int) nameRva[i]);
            if (cv[i] != null) {
                b.putInt(e + 76, cv[i].length);
                b.putInt(e + 80, (int) cvRva[i]);
                b.put((int) cvRva[i], cv[i]);
            }
            putString(b, nameRva[i], mod.name());
        }

        long[] rangeRva = new long[merged.size()];
        long cursor = dataRva;
        for (int i = 0; i < merged.size(); i++) {
            rangeRva[i] = cursor;
            cursor += merged.get(i).size();
        }
        int t = (int) threadListRva;
        b.putInt(t, threads.size());
        for (int i = 0; i < threads.size(); i++) {
            Thread th = threads.get(i);
            int e = t + 4 + 48 * i;
            b.putInt(e, th.id());
            b.putInt(e + 4, th.suspendCount());
            b.putInt(e + 8, th.priorityClass());
            b.putInt(e + 12, th.priority());
            b.putLong(e + 16, th.teb());
            b.putLong(e + 24, th.stackStart());
            long stackRva = stackRva(merged, rangeRva, th.stackStart(), th.stackSize());
            if (stackRva != 0) {
                b.putInt(e + 32, (int) th.stackSize());
                b.putInt(e + 36, (int) stackRva);
            }
            if (contexts[i] != null) {
                b.putInt(e + 40, contexts[i].length);
                b.putInt(e + 44, (int) contextRva[i]);
                b.put((int) contextRva[i], contexts[i]);
            }
        }

        if (hasException) {
            int x = (int) exceptionRva;
            b.putInt(x, exceptionThread);
            b.putInt(x + 8, exception.code());
            b.putInt(x + 12, exception.flags());
            b.putLong(x + 16, exception.nestedRecord());
            b.putLong(x + 24, exception.address());
            List<Long> params = exception.parameters();
            int n = Math.min(params.size(), ExceptionRecord.MAXIMUM_PARAMETERS);
            b.putInt(x + 32, n);
            for (int i = 0; i < n; i++) {
                b.putLong(x + 40 + 8 * i, params.get(i));
            }
            for (int i = 0; i < threads.size(); i++) {
                if (threads.get(i).id() == exceptionThread && contexts[i] != null) {
                    b.putInt(x + 160, contexts[i].length);
                    b.putInt(x + 164, (int) contextRva[i]);
                }
            }
        }

        if (hasMisc) {
            int x = (int) miscRva;
            b.putInt(x, 24);
            int flags = MiscInfo.PROCESS_ID | (processCreateTime != null ? MiscInfo.PROCESS_TIMES : 0);
            b.putInt(x + 4, flags);
            b.putInt(x + 8, (int) (long) processId);
            if (processCreateTime != null) {
                b.putInt(x + 12, (int) Math.max(0, Math.min(0xffffffffL, processCreateTime.getEpochSecond())));
            }
        }

        int l = (int) memoryListRva;
        b.putLong(l, merged.size());
        b.putLong(l + 8, dataRva);
        for (int i = 0; i < merged.size(); i++) {
            b.putLong(l + 16 + 16 * i, merged.get(i).base());
            b.putLong(l + 24 + 16 * i, merged.get(i).size());
        }

        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        long memoryBytes = merged.stream().mapToLong(Range::size).sum();
        long unavailable;
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(out), CHUNK);
                OutputStream o = new DigestOutputStream(raw, sha)) {
            o.write(b.array());
            unavailable = body.write(o, merged);
        }
        return new Result(out, dataRva + memoryBytes, HexFormat.of().formatHex(sha.digest()), merged.size(), memoryBytes,
                unavailable, omitted);
    }

    /** Hands out file space in order, each piece aligned as asked. */
    private static final class Layout {
        private long next;

        void skip(long bytes) {
            next += bytes;
        }

        long take(long bytes, int alignment) {
            next = (next + alignment - 1) & -alignment;
            long at = next;
            next += bytes;
            return at;
        }
    }

    private static int directory(ByteBuffer b, int at, int type, long size, long rva) {
        b.putInt(at, type);
        b.putInt(at + 4, (int) size);
        b.putInt(at + 8, (int) rva);
        return at + DIRECTORY_ENTRY;
    }

    /** A {@code MINIDUMP_STRING}: byte count (without the terminator), UTF-16LE text, a NUL character. */
    private static long stringSize(String s) {
        return 4 + 2L * s.length() + 2;
    }

    private static void putString(ByteBuffer b, long rva, String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_16LE);
        b.putInt((int) rva, text.length);
        b.put((int) rva + 4, text);
        b.putShort((int) rva + 4 + text.length, (short) 0);
    }

    private static byte[] codeViewBytes(CodeViewRecord cv) {
        byte[] name = cv.pdbName().getBytes(StandardCharsets.UTF_8);
        if (cv.format().equals("NB10")) {
            ByteBuffer b = ByteBuffer.allocate(16 + name.length + 1).order(ByteOrder.LITTLE_ENDIAN);
            b.put("NB10".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(cv.signature()).putInt(cv.age()).put(name);
            return b.array();
        }
        String hex = cv.guid().replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("RSDS GUID must have 32 hex digits: " + cv.guid());
        }
        ByteBuffer b = ByteBuffer.allocate(24 + name.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RSDS".getBytes(StandardCharsets.US_ASCII));
        b.putInt((int) Long.parseLong(hex.substring(0, 8), 16));
        b.putShort((short) Integer.parseInt(hex.substring(8, 12), 16));
        b.putShort((short) Integer.parseInt(hex.substring(12, 16), 16));
        b.put(HexFormat.of().parseHex(hex.substring(16)));
        b.putInt(cv.age());
        b.put(name);
        return b.array();
    }

    /** File offset of a thread's stack bytes, or 0 when no single captured range holds them below 4 GiB. */
    private static long stackRva(List<Range> merged, long[] rangeRva, long start, long size) {
        if (size <= 0 || size > 0xffffffffL) {
            return 0;
        }
        for (int i = 0; i < merged.size(); i++) {
            Range r = merged.get(i);
            long offset = start - r.base();
            if (Long.compareUnsigned(start, r.base()) >= 0 && Long.compareUnsigned(offset, r.size()) < 0
                    && Long.compareUnsigned(offset + size, r.size()) <= 0) {
                long rva = rangeRva[i] + offset;
                return rva + size <= 0xffffffffL ? rva : 0;
            }
        }
        return 0;
    }

    /** Sorts ranges by address and merges overlapping ones, so every byte is written once. */
    private static List<Range> merge(List<Range> input) {
        List<Range> sorted = new ArrayList<>(input);
        sorted.sort(Comparator.comparing(Range::base, Long::compareUnsigned));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty()) {
                Range last = out.get(out.size() - 1);
                long lastEnd = last.base() + last.size();
                if (Long.compareUnsigned(r.base(), lastEnd) < 0) {
                    long end = r.base() + r.size();
                    if (Long.compareUnsigned(end, lastEnd) > 0) {
                        out.set(out.size() - 1, new Range(last.base(), end - last.base()));
                    }
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }
}
