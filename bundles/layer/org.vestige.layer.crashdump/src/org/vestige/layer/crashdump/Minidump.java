package org.vestige.layer.crashdump;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.layer.crashdump.internal.MinidumpReader;

/**
 * An opened user-mode minidump ({@code MDMP}, as written by dbghelp's {@code MiniDumpWriteDump},
 * ProcDump, WER, Breakpad or {@link MinidumpWriter}): its decoded streams and the captured memory as a
 * process virtual address space ({@link #memory()}), where addresses the dump did not capture read as
 * missing ("not captured in minidump").
 *
 * <p>Instances come from {@link #open(Path)}; the file stays open until {@link #close()}.
 *
 * @since 0.1
 */
public final class Minidump implements Closeable {

    private final Path path;
    private final MinidumpContents contents;
    private final DumpLayer memory;
    private final Closeable resource;

    /** Assembles an opened minidump; use {@link #open(Path)}. */
    public Minidump(Path path, MinidumpContents contents, DumpLayer memory, Closeable resource) {
        this.path = path;
        this.contents = contents;
        this.memory = memory;
        this.resource = resource;
    }

    /**
     * Opens a minidump read-only.
     *
     * @throws EvidenceException when the file is missing, not a minidump, or its header, directory or
     *                           core streams (system info, modules, threads, memory lists) are truncated
     *                           or corrupt; the message names the file, the structure and its offset
     */
    public static Minidump open(Path path) throws EvidenceException {
        return MinidumpReader.read(path);
    }

    public Path path() {
        return path;
    }

    public MinidumpContents contents() {
        return contents;
    }

    public MinidumpHeader header() {
        return contents.header();
    }

    public Optional<SystemInfo> systemInfo() {
        return contents.systemInfo();
    }

    public List<MinidumpModule> modules() {
        return contents.modules();
    }

    public List<MinidumpThread> threads() {
        return contents.threads();
    }

    public List<MemoryRange> memoryRanges() {
        return contents.memoryRanges();
    }

    public Optional<MinidumpException> exception() {
        return contents.exception();
    }

    public Optional<MiscInfo> miscInfo() {
        return contents.miscInfo();
    }

    /** @return the process's captured memory, addressed by virtual address */
    public DumpLayer memory() {
        return memory;
    }

    /** @return the module whose image contains {@code address} */
    public Optional<MinidumpModule> moduleAt(long address) {
        return contents.modules().stream().filter(m -> m.contains(address)).findFirst();
    }

    /** @return the thread with id {@code threadId} */
    public Optional<MinidumpThread> thread(int threadId) {
        return contents.threads().stream().filter(t -> t.threadId() == threadId).findFirst();
    }

    /** @return streams or fields that could not be decoded */
    public List<String> problems() {
        return contents.problems();
    }

    /** @return what the dump says about itself, in display order, for {@code evidence.info} */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        MinidumpHeader h = contents.header();
        p.put("format", "Windows minidump (MDMP, version 0x%x)".formatted(h.version()));
        p.put("address space", memory.addressSpace().label());
        p.put("created", h.timeDateStamp().toString());
        p.put("flags", "0x%x%s".formatted(h.flags(), (h.flags() & MinidumpHeader.WITH_FULL_MEMORY) != 0 ? " (full memory)" : ""));
        p.put("streams", Long.toString(contents.streams().stream().filter(s -> s.type() != MinidumpStream.UNUSED).count()));
        contents.systemInfo().ifPresent(s -> {
            p.put("system", s.describe());
            p.put("processors", Integer.toString(s.numberOfProcessors()));
        });
        contents.miscInfo().ifPresent(m -> {
            m.processId().ifPresent(id -> p.put("process id", Long.toString(id)));
            m.processCreateTime().ifPresent(t -> p.put("process created", t.toString()));
            m.buildString().ifPresent(b -> p.put("build string", b));
        });
        if (!contents.modules().isEmpty()) {
            p.put("main module", contents.modules().get(0).name());
        }
        p.put("modules", Integer.toString(contents.modules().size()));
        p.put("threads", Integer.toString(contents.threads().size()));
        long bytes = contents.memoryRanges().stream().mapToLong(MemoryRange::size).sum();
        p.put("memory ranges", "%d (%d bytes)".formatted(contents.memoryRanges().size(), bytes));
        contents.exception().ifPresent(e -> p.put("exception", "code 0x%08x at 0x%x in thread %d%s".formatted(
                e.record().code(), e.record().address(), e.threadId(),
                moduleAt(e.record().address()).map(m -> " (" + m.baseName() + ")").orElse(""))));
        contents.comment().ifPresent(c -> p.put("comment", c));
        if (!contents.problems().isEmpty()) {
            p.put("problems", String.join("; ", contents.problems()));
        }
        return Collections.unmodifiableMap(p);
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }

    @Override
    public String toString() {
        return "minidump " + path;
    }
}
