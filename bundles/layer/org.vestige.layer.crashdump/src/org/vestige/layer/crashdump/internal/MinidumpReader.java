package org.vestige.layer.crashdump.internal;

import static org.vestige.layer.crashdump.internal.KernelDumpReader.u32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.MissingCause;
import org.vestige.layer.crashdump.AddressSpace;
import org.vestige.layer.crashdump.CodeViewRecord;
import org.vestige.layer.crashdump.CpuContext;
import org.vestige.layer.crashdump.ExceptionRecord;
import org.vestige.layer.crashdump.FixedFileInfo;
import org.vestige.layer.crashdump.HandleDescriptor;
import org.vestige.layer.crashdump.MemoryInfo;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpContents;
import org.vestige.layer.crashdump.MinidumpException;
import org.vestige.layer.crashdump.MinidumpHeader;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.layer.crashdump.MinidumpStream;
import org.vestige.layer.crashdump.MinidumpThread;
import org.vestige.layer.crashdump.MiscInfo;
import org.vestige.layer.crashdump.ProcessorArchitecture;
import org.vestige.layer.crashdump.SystemInfo;
import org.vestige.layer.crashdump.UnloadedModule;
import org.vestige.layer.crashdump.X64Context;
import org.vestige.layer.crashdump.X86Context;

/**
 * Reads user-mode minidumps: the header, the stream directory and the streams Vestige decodes. The
 * streams every analysis relies on (system info, modules, threads, memory lists) must be intact or
 * the open fails naming the structure and offset; a damaged auxiliary stream (handles, misc info,
 * unloaded modules, memory info, thread names, comments) is reported in
 * {@link MinidumpContents#problems()} and the rest is read.
 */
public final class MinidumpReader {

    /** Metadata streams larger than this are not loaded whole (memory is never loaded whole). */
    private static final long MAX_STREAM = 256L << 20;
    private static final int MAX_STRING_BYTES = 0x10000;
    private static final int MODULE_SIZE = 108;
    private static final int THREAD_SIZE = 48;
    private static final int MEMORY_DESCRIPTOR_SIZE = 16;

    private final DumpFile file;
    private final Path path;
    private final List<String> problems = new ArrayList<>();

    private MinidumpReader(DumpFile file) {
        this.file = file;
        this.path = file.path();
    }

    /** Looks at the header and directory only and explains the verdict. */
    public static ProbeResult probe(Path path) {
        try (DumpFile file = DumpFile.open(path)) {
            if (file.size() < 4) {
                return ProbeResult.no("file is %d bytes, too short for a minidump signature".formatted(file.size()));
            }
            ByteBuffer sig = file.read(0, 4, "signature");
            if (sig.getInt(0) != MinidumpHeader.SIGNATURE) {
                return ProbeResult.no("no minidump signature: starts with '%s', not MDMP"
                        .formatted(KernelDumpReader.printable(KernelDumpReader.ascii(sig, 0, 4))));
            }
            if (file.size() < 32) {
                return new ProbeResult(40, "MDMP signature, but the file is only %d bytes and the header needs 32 (truncated)"
                        .formatted(file.size()));
            }
            ByteBuffer h = file.read(0, 32, "minidump header");
            int version = h.getInt(4) & 0xffff;
            long streams = u32(h, 8);
            long directory = u32(h, 12);
            if (directory + streams * 12 > file.size()) {
                return new ProbeResult(40, "MDMP signature, but its stream directory (%d entries at 0x%x) runs past the end of the file"
                        .formatted(streams, directory));
            }
            if (version != MinidumpHeader.VERSION) {
                return new ProbeResult(80, "MDMP signature and a consistent directory of %d streams, but version 0x%x is not 0xa793"
                        .formatted(streams, version));
            }
            return ProbeResult.certain("user-mode minidump (MDMP, version 0xa793) with %d streams".formatted(streams));
        } catch (EvidenceException | IOException e) {
            return ProbeResult.no("cannot read the file: " + e.getMessage());
        }
    }

    /** Opens and parses a minidump. */
    public static Minidump read(Path path) throws EvidenceException {
        DumpFile file = DumpFile.open(path);
        try {
            try {
                return new MinidumpReader(file).parse();
            } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
                throw new EvidenceException(path, "minidump structures are inconsistent: " + e.getMessage(), e);
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

    private Minidump parse() throws EvidenceException {
        if (file.size() < 32) {
            throw new EvidenceException(path, "file is %d bytes, too short for a minidump header (32 bytes)".formatted(file.size()));
        }
        ByteBuffer h = file.read(0, 32, "minidump header");
        if (h.getInt(0) != MinidumpHeader.SIGNATURE) {
            throw new EvidenceException(path, "not a minidump: signature at offset 0 is '%s', expected MDMP"
                    .formatted(KernelDumpReader.printable(KernelDumpReader.ascii(h, 0, 4))));
        }
        MinidumpHeader header = new MinidumpHeader(h.getInt(4) & 0xffff, h.getInt(4) >>> 16, u32(h, 8), u32(h, 12),
                h.getInt(16), Instant.ofEpochSecond(u32(h, 20)), h.getLong(24));
        if (header.version() != MinidumpHeader.VERSION) {
            problems.add("header version is 0x%x, not 0xa793".formatted(header.version()));
        }
        long count = header.numberOfStreams();
        long dir = header.streamDirectoryRva();
        if (dir + count * 12 > file.size()) {
            throw new EvidenceException(path, "stream directory at offset 0x%x with %d entries runs past the end of the file (0x%x bytes)"
                    .formatted(dir, count, file.size()));
        }
        ByteBuffer d = file.read(dir, (int) (count * 12), "stream directory");
        List<MinidumpStream> streams = new ArrayList<>();
        Map<Integer, MinidumpStream> byType = new HashMap<>();
        for (int i = 0; i < count; i++) {
            MinidumpStream s = new MinidumpStream(d.getInt(i * 12), u32(d, i * 12 + 4), u32(d, i * 12 + 8));
            streams.add(s);
            if (s.type() == MinidumpStream.UNUSED) {
                continue;
            }
            if (byType.putIfAbsent(s.type(), s) != null) {
                problems.add("%s appears more than once (again at offset 0x%x); the first one is used".formatted(s.typeName(), s.rva()));
            }
        }

        Optional<SystemInfo> systemInfo = byType.containsKey(MinidumpStream.SYSTEM_INFO)
                ? Optional.of(systemInfo(byType.get(MinidumpStream.SYSTEM_INFO))) : Optional.empty();
        ProcessorArchitecture arch = systemInfo.map(SystemInfo::architecture).orElse(ProcessorArchitecture.UNKNOWN);
        List<MinidumpModule> modules = byType.containsKey(MinidumpStream.MODULE_LIST)
                ? modules(byType.get(MinidumpStream.MODULE_LIST)) : List.of();
        List<MinidumpThread> threads = byType.containsKey(MinidumpStream.THREAD_LIST)
                ? threads(byType.get(MinidumpStream.THREAD_LIST), arch) : List.of();
        List<MemoryRange> ranges = new ArrayList<>();
        if (byType.containsKey(MinidumpStream.MEMORY_LIST)) {
            ranges.addAll(memoryList(byType.get(MinidumpStream.MEMORY_LIST)));
        }
        if (byType.containsKey(MinidumpStream.MEMORY64_LIST)) {
            ranges.addAll(memory64List(byType.get(MinidumpStream.MEMORY64_LIST)));
        }
        long beyond = ranges.stream().filter(r -> r.fileOffset() + r.size() > file.size()).count();
        if (beyond > 0) {
            problems.add("%d memory ranges reach past the end of the file (0x%x bytes): truncated, their missing bytes read as missing"
                    .formatted(beyond, file.size()));
        }
        Optional<MinidumpException> exception = optional(byType.get(MinidumpStream.EXCEPTION), s -> exception(s, arch));
        List<HandleDescriptor> handles = optional(byType.get(MinidumpStream.HANDLE_DATA), this::handles).orElse(List.of());
        Optional<MiscInfo> misc = optional(byType.get(MinidumpStream.MISC_INFO), this::miscInfo);
        List<UnloadedModule> unloaded = optional(byType.get(MinidumpStream.UNLOADED_MODULE_LIST), this::unloadedModules)
                .orElse(List.of());
        List<MemoryInfo> memoryInfo = optional(byType.get(MinidumpStream.MEMORY_INFO_LIST), this::memoryInfo).orElse(List.of());
        Map<Integer, String> names = optional(byType.get(MinidumpStream.THREAD_NAMES), this::threadNames).orElse(Map.of());
        Optional<String> comment = optional(byType.get(MinidumpStream.COMMENT_W), s -> comment(s, true))
                .or(() -> optional(byType.get(MinidumpStream.COMMENT_A), s -> comment(s, false)));
        if (systemInfo.isEmpty()) {
            problems.add("no system info stream: the processor architecture is unknown");
        }

        List<MappedLayer.Segment> segments = new ArrayList<>();
        for (MemoryRange r : ranges) {
            segments.add(new MappedLayer.Segment(r.base(), r.size(), r.fileOffset()));
        }
        MappedLayer layer = MappedLayer.of("process virtual (minidump: %s)".formatted(path.getFileName()),
                AddressSpace.PROCESS_VIRTUAL, file, segments, new MissingCause.NotCaptured(),
                "not captured in minidump");
        MinidumpContents contents = new MinidumpContents(header, streams, systemInfo, modules, threads, ranges,
                exception, handles, misc, unloaded, memoryInfo, names, comment, problems);
        return new Minidump(path, contents, layer, file);
    }

    @FunctionalInterface
    private interface StreamParser<T> {
        T parse(MinidumpStream s) throws EvidenceException;
    }

    /** Parses an auxiliary stream; damage is noted as a problem instead of failing the open. */
    private <T> Optional<T> optional(MinidumpStream s, StreamParser<T> parser) {
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(parser.parse(s));
        } catch (EvidenceException e) {
            problems.add("%s not decoded: %s".formatted(s.typeName(), e.getMessage()));
            return Optional.empty();
        }
    }

    private ByteBuffer stream(MinidumpStream s, long minimum) throws EvidenceException {
        if (s.dataSize() < minimum) {
            throw new EvidenceException(path, "%s at offset 0x%x is 0x%x bytes, shorter than its 0x%x-byte header"
                    .formatted(s.typeName(), s.rva(), s.dataSize(), minimum));
        }
        if (s.dataSize() > MAX_STREAM) {
            throw new EvidenceException(path, "%s at offset 0x%x claims 0x%x bytes, more than any such stream holds"
                    .formatted(s.typeName(), s.rva(), s.dataSize()));
        }
        return file.read(s.rva(), (int) s.dataSize(), s.typeName());
    }

    /**
     * Where the entries of a list stream start: right after the 32-bit count, or 4 bytes later when the
     * writer padded the count to 8 bytes (some writers do, and say so only through the stream's size).
     */
    private long listStart(MinidumpStream s, long count, int entrySize) throws EvidenceException {
        long needed = 4 + count * entrySize;
        if (s.dataSize() == needed + 4) {
            return 8;
        }
        if (s.dataSize() < needed) {
            throw new EvidenceException(path, "%s at offset 0x%x holds 0x%x bytes but its %d entries of %d bytes need 0x%x"
                    .formatted(s.typeName(), s.rva(), s.dataSize(), count, entrySize, needed));
        }
        return 4;
    }

    private SystemInfo systemInfo(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 56);
        long csdRva = u32(b, 24);
        String csd = csdRva == 0 ? "" : minidumpString(csdRva, "CSD version string of the system info");
        int arch = Short.toUnsignedInt(b.getShort(0));
        String vendor = "";
        if (arch == ProcessorArchitecture.X86.code() || arch == ProcessorArchitecture.X86_ON_WIN64.code()) {
            byte[] v = new byte[12];
            b.get(32, v);
            vendor = new String(v, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
        }
        return new SystemInfo(arch, Short.toUnsignedInt(b.getShort(2)), Short.toUnsignedInt(b.getShort(4)),
                Byte.toUnsignedInt(b.get(6)), Byte.toUnsignedInt(b.get(7)), b.getInt(8), b.getInt(12), b.getInt(16),
                b.getInt(20), csd, Short.toUnsignedInt(b.getShort(28)), vendor);
    }

    private List<MinidumpModule> modules(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 4);
        long count = u32(b, 0);
        long start = listStart(s, count, MODULE_SIZE);
        List<MinidumpModule> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int e = (int) (start + (long) i * MODULE_SIZE);
            String name;
            try {
                name = minidumpString(u32(b, e + 20), "name of module %d".formatted(i));
            } catch (EvidenceException bad) {
                problems.add("module %d at 0x%x: name not decoded: %s".formatted(i, b.getLong(e), bad.getMessage()));
                name = "";
            }
            Optional<FixedFileInfo> version = Optional.empty();
            if (b.getInt(e + 24) == FixedFileInfo.SIGNATURE) {
                version = Optional.of(new FixedFileInfo(b.getInt(e + 32), b.getInt(e + 36), b.getInt(e + 40),
                        b.getInt(e + 44), b.getInt(e + 48), b.getInt(e + 52), b.getInt(e + 56), b.getInt(e + 60),
                        b.getInt(e + 64)));
            }
            Optional<CodeViewRecord> cv = codeView(u32(b, e + 76), u32(b, e + 80), name);
            out.add(new MinidumpModule(name, b.getLong(e), u32(b, e + 8), b.getInt(e + 12), b.getInt(e + 16), version, cv));
        }
        return out;
    }

    private Optional<CodeViewRecord> codeView(long size, long rva, String module) {
        if (size < 16 || rva == 0) {
            return Optional.empty();
        }
        try {
            ByteBuffer c = file.read(rva, (int) Math.min(size, MAX_STRING_BYTES), "CodeView record of " + module);
            String signature = KernelDumpReader.ascii(c, 0, 4);
            if (signature.equals("RSDS") && c.limit() >= 24) {
                byte[] d4 = new byte[8];
                c.get(12, d4);
                StringBuilder tail = new StringBuilder();
                for (byte x : d4) {
                    tail.append("%02X".formatted(x & 0xff));
                }
                String guid = "%08X-%04X-%04X-%s-%s".formatted(c.getInt(4), c.getShort(8) & 0xffff, c.getShort(10) & 0xffff,
                        tail.substring(0, 4), tail.substring(4));
                return Optional.of(new CodeViewRecord("RSDS", cString(c, 24), guid, c.getInt(20), 0));
            }
            if (signature.equals("NB10") && c.limit() >= 16) {
                return Optional.of(new CodeViewRecord("NB10", cString(c, 16), "", c.getInt(12), c.getInt(8)));
            }
            return Optional.empty();
        } catch (EvidenceException e) {
            problems.add("CodeView record of %s not decoded: %s".formatted(module, e.getMessage()));
            return Optional.empty();
        }
    }

    private static String cString(ByteBuffer b, int from) {
        int end = from;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] raw = new byte[end - from];
        b.get(from, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    private List<MinidumpThread> threads(MinidumpStream s, ProcessorArchitecture arch) throws EvidenceException {
        ByteBuffer b = stream(s, 4);
        long count = u32(b, 0);
        long start = listStart(s, count, THREAD_SIZE);
        List<MinidumpThread> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int e = (int) (start + (long) i * THREAD_SIZE);
            int id = b.getInt(e);
            long contextSize = u32(b, e + 40);
            long contextRva = u32(b, e + 44);
            Optional<CpuContext> context = context(contextSize, contextRva, arch, "context of thread %d".formatted(id));
            out.add(new MinidumpThread(id, b.getInt(e + 4), b.getInt(e + 8), b.getInt(e + 12), b.getLong(e + 16),
                    b.getLong(e + 24), u32(b, e + 32), u32(b, e + 36), contextSize, contextRva, context));
        }
        return out;
    }

    /** Decodes a CONTEXT record by the dump's architecture, or by its size when the architecture is unknown. */
    private Optional<CpuContext> context(long size, long rva, ProcessorArchitecture arch, String what) {
        if (size == 0 || rva == 0) {
            return Optional.empty();
        }
        boolean x64 = arch == ProcessorArchitecture.AMD64 || (arch == ProcessorArchitecture.UNKNOWN && size == X64Context.SIZE);
        boolean x86 = arch == ProcessorArchitecture.X86 || arch == ProcessorArchitecture.X86_ON_WIN64
                || (arch == ProcessorArchitecture.UNKNOWN && (size == X86Context.SIZE || size == X86Context.MINIMUM_SIZE));
        try {
            if (x64 && size >= X64Context.SIZE) {
                byte[] raw = new byte[X64Context.SIZE];
                file.read(rva, X64Context.SIZE, what).get(raw);
                return Optional.of(X64Context.parse(raw));
            }
            if (x86 && size >= X86Context.MINIMUM_SIZE) {
                int n = (int) Math.min(size, X86Context.SIZE);
                byte[] raw = new byte[n];
                file.read(rva, n, what).get(raw);
                return Optional.of(X86Context.parse(raw));
            }
            problems.add("%s at 0x%x is 0x%x bytes, not a %s CONTEXT record".formatted(what, rva, size, arch.label()));
        } catch (EvidenceException e) {
            problems.add(what + " not decoded: " + e.getMessage());
        }
        return Optional.empty();
    }

    private List<MemoryRange> memoryList(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 4);
        long count = u32(b, 0);
        long start = listStart(s, count, MEMORY_DESCRIPTOR_SIZE);
        List<MemoryRange> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int e = (int) (start + (long) i * MEMORY_DESCRIPTOR_SIZE);
            out.add(new MemoryRange(b.getLong(e), u32(b, e + 8), u32(b, e + 12)));
        }
        return out;
    }

    private List<MemoryRange> memory64List(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 16);
        long count = b.getLong(0);
        long base = b.getLong(8);
        if (count < 0 || count > s.dataSize() / MEMORY_DESCRIPTOR_SIZE || 16 + count * MEMORY_DESCRIPTOR_SIZE > s.dataSize()) {
            throw new EvidenceException(path, "Memory64ListStream at offset 0x%x claims %d ranges but holds 0x%x bytes"
                    .formatted(s.rva(), count, s.dataSize()));
        }
        if (base < 0 || base > file.size()) {
            throw new EvidenceException(path, "Memory64ListStream at offset 0x%x puts its data at 0x%x, past the end of the file (0x%x bytes)"
                    .formatted(s.rva(), base, file.size()));
        }
        List<MemoryRange> out = new ArrayList<>((int) count);
        long offset = base;
        for (int i = 0; i < count; i++) {
            int e = 16 + i * MEMORY_DESCRIPTOR_SIZE;
            long start = b.getLong(e);
            long size = b.getLong(e + 8);
            if (size < 0 || offset + size < offset) {
                throw new EvidenceException(path, "Memory64ListStream range %d (at 0x%x, 0x%x bytes) is corrupt"
                        .formatted(i, start, size));
            }
            out.add(new MemoryRange(start, size, offset));
            offset += size;
        }
        return out;
    }

    private MinidumpException exception(MinidumpStream s, ProcessorArchitecture arch) throws EvidenceException {
        ByteBuffer b = stream(s, 168);
        long n = Math.min(u32(b, 32), ExceptionRecord.MAXIMUM_PARAMETERS);
        List<Long> params = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            params.add(b.getLong(40 + 8 * i));
        }
        ExceptionRecord record = new ExceptionRecord(b.getInt(8), b.getInt(12), b.getLong(16), b.getLong(24), params);
        long size = u32(b, 160);
        long rva = u32(b, 164);
        return new MinidumpException(b.getInt(0), record, size, rva, context(size, rva, arch, "exception context"));
    }

    private List<HandleDescriptor> handles(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 16);
        long headerSize = u32(b, 0);
        long entrySize = u32(b, 4);
        long count = u32(b, 8);
        if (entrySize < 32 || entrySize > s.dataSize() || headerSize < 16 || headerSize > s.dataSize()
                || count > s.dataSize() || headerSize + count * entrySize > s.dataSize()) {
            throw new EvidenceException(path, "HandleDataStream at offset 0x%x: header 0x%x, %d descriptors of 0x%x bytes do not fit its 0x%x bytes"
                    .formatted(s.rva(), headerSize, count, entrySize, s.dataSize()));
        }
        List<HandleDescriptor> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int e = (int) (headerSize + i * entrySize);
            long typeRva = u32(b, e + 8);
            long nameRva = u32(b, e + 12);
            String type = typeRva == 0 ? "" : minidumpString(typeRva, "handle type name");
            String name = nameRva == 0 ? "" : minidumpString(nameRva, "handle object name");
            out.add(new HandleDescriptor(b.getLong(e), type, name, b.getInt(e + 16), b.getInt(e + 20), b.getInt(e + 24),
                    b.getInt(e + 28)));
        }
        return out;
    }

    private MiscInfo miscInfo(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 24);
        int size = (int) Math.min(u32(b, 0), s.dataSize());
        int flags = b.getInt(4);
        OptionalLong pid = (flags & MiscInfo.PROCESS_ID) != 0 ? OptionalLong.of(u32(b, 8)) : OptionalLong.empty();
        boolean times = (flags & MiscInfo.PROCESS_TIMES) != 0;
        Optional<Instant> created = times ? Optional.of(Instant.ofEpochSecond(u32(b, 12))) : Optional.empty();
        OptionalLong user = times ? OptionalLong.of(u32(b, 16)) : OptionalLong.empty();
        OptionalLong kernel = times ? OptionalLong.of(u32(b, 20)) : OptionalLong.empty();
        boolean power = (flags & MiscInfo.PROCESSOR_POWER_INFO) != 0 && size >= 44;
        OptionalLong maxMhz = power ? OptionalLong.of(u32(b, 24)) : OptionalLong.empty();
        OptionalLong currentMhz = power ? OptionalLong.of(u32(b, 28)) : OptionalLong.empty();
        Optional<String> build = Optional.empty();
        if ((flags & MiscInfo.BUILDSTRING) != 0 && size >= 752) {
            byte[] raw = new byte[520];
            b.get(232, raw);
            String text = new String(raw, StandardCharsets.UTF_16LE);
            int nul = text.indexOf('\0');
            build = Optional.of(nul >= 0 ? text.substring(0, nul) : text);
        }
        return new MiscInfo(size, flags, pid, created, user, kernel, maxMhz, currentMhz, build);
    }

    private List<UnloadedModule> unloadedModules(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 12);
        long headerSize = u32(b, 0);
        long entrySize = u32(b, 4);
        long count = u32(b, 8);
        if (entrySize < 24 || entrySize > s.dataSize() || headerSize < 12 || headerSize > s.dataSize()
                || count > s.dataSize() || headerSize + count * entrySize > s.dataSize()) {
            throw new EvidenceException(path, "UnloadedModuleListStream at offset 0x%x: %d entries of 0x%x bytes do not fit its 0x%x bytes"
                    .formatted(s.rva(), count, entrySize, s.dataSize()));
        }
        List<UnloadedModule> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int e = (int) (headerSize + i * entrySize);
            out.add(new UnloadedModule(minidumpString(u32(b, e + 20), "unloaded module name"), b.getLong(e), u32(b, e + 8),
                    b.getInt(e + 12), b.getInt(e + 16)));
        }
        return out;
    }

    private List<MemoryInfo> memoryInfo(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 16);
        long headerSize = u32(b, 0);
        long entrySize = u32(b, 4);
        long count = b.getLong(8);
        if (entrySize < 48 || entrySize > s.dataSize() || headerSize < 16 || headerSize > s.dataSize() || count < 0
                || count > s.dataSize() || headerSize + count * entrySize > s.dataSize()) {
            throw new EvidenceException(path, "MemoryInfoListStream at offset 0x%x: %d entries of 0x%x bytes do not fit its 0x%x bytes"
                    .formatted(s.rva(), count, entrySize, s.dataSize()));
        }
        List<MemoryInfo> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int e = (int) (headerSize + i * entrySize);
            out.add(new MemoryInfo(b.getLong(e), b.getLong(e + 8), b.getInt(e + 16), b.getLong(e + 24), b.getInt(e + 32),
                    b.getInt(e + 36), b.getInt(e + 40)));
        }
        return out;
    }

    private Map<Integer, String> threadNames(MinidumpStream s) throws EvidenceException {
        ByteBuffer b = stream(s, 4);
        long count = u32(b, 0);
        if (4 + count * 12 > s.dataSize()) {
            throw new EvidenceException(path, "ThreadNamesStream at offset 0x%x claims %d names but holds 0x%x bytes"
                    .formatted(s.rva(), count, s.dataSize()));
        }
        Map<Integer, String> out = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int e = 4 + i * 12;
            int id = b.getInt(e);
            long rva = b.getLong(e + 4);
            if (seen.add(id) && rva > 0) {
                out.put(id, minidumpString(rva, "name of thread %d".formatted(id)));
            }
        }
        return out;
    }

    private String comment(MinidumpStream s, boolean wide) throws EvidenceException {
        ByteBuffer b = stream(s, 0);
        byte[] raw = new byte[b.remaining()];
        b.get(raw);
        String text = new String(raw, wide ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
        int nul = text.indexOf('\0');
        return nul >= 0 ? text.substring(0, nul) : text;
    }

    /** A {@code MINIDUMP_STRING}: a 32-bit byte count, then UTF-16 text. */
    private String minidumpString(long rva, String what) throws EvidenceException {
        long bytes = u32(file.read(rva, 4, what + " (length)"), 0);
        if (bytes > MAX_STRING_BYTES) {
            throw new EvidenceException(path, "%s at offset 0x%x claims 0x%x bytes; a minidump string holds at most 0x%x"
                    .formatted(what, rva, bytes, MAX_STRING_BYTES));
        }
        ByteBuffer b = file.read(rva + 4, (int) (bytes & ~1L), what);
        byte[] raw = new byte[b.remaining()];
        b.get(raw);
        return new String(raw, StandardCharsets.UTF_16LE);
    }
}
