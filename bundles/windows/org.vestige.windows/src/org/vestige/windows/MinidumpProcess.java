package org.vestige.windows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.layer.Layer;
import org.vestige.layer.crashdump.MemoryInfo;
import org.vestige.layer.crashdump.MemoryRange;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.layer.crashdump.MinidumpFormat;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.layer.crashdump.MinidumpThread;
import org.vestige.layer.crashdump.MiscInfo;

/**
 * The one process a user-mode minidump holds (ProcDump {@code -ma}, WinDbg {@code .dump}, WER, Breakpad):
 * its id and start time from the {@code MiscInfo} stream, its name and path from the main module (the
 * first of the module list), its captured memory as a virtual address space, its modules, threads,
 * captured ranges and — when the writer recorded them — its address-space regions
 * ({@code MemoryInfoList}). What a minidump does not record (the parent, the {@code _EPROCESS}, load
 * counts) is not guessed.
 *
 * @since 0.1
 */
public final class MinidumpProcess implements EvidenceProcesses {

    private static final Comparator<Long> UNSIGNED = Long::compareUnsigned;

    private final Minidump dump;
    private final Path file;
    private final List<MemoryRange> ranges;
    private final TreeMap<Long, MinidumpModule> modulesByBase = new TreeMap<>(UNSIGNED);
    private final TreeMap<Long, MemoryInfo> regionsByBase = new TreeMap<>(UNSIGNED);

    MinidumpProcess(Minidump dump, Path file) {
        this.dump = dump;
        this.file = file;
        List<MemoryRange> sorted = new ArrayList<>(dump.memoryRanges());
        sorted.sort(Comparator.comparing(MemoryRange::base, UNSIGNED));
        this.ranges = List.copyOf(sorted);
        for (MinidumpModule m : dump.modules()) {
            modulesByBase.putIfAbsent(m.baseOfImage(), m);
        }
        for (MemoryInfo r : dump.contents().memoryInfo()) {
            if (r.regionSize() > 0) {
                regionsByBase.putIfAbsent(r.baseAddress(), r);
            }
        }
    }

    /** @return the minidump's process when the case's evidence is a user-mode minidump, else null */
    public static MinidumpProcess of(EvidenceCase evidence) {
        Minidump dump = MinidumpFormat.minidump(evidence.evidence());
        return dump == null ? null : new MinidumpProcess(dump, evidence.image().path());
    }

    /** @return the parsed minidump */
    public Minidump minidump() {
        return dump;
    }

    /** @return the minidump file */
    public Path file() {
        return file;
    }

    /** @return the process id, when the dump has a {@code MiscInfo} stream that records it */
    public OptionalLong pid() {
        return dump.miscInfo().map(MiscInfo::processId).orElse(OptionalLong.empty());
    }

    /** @return when the process started, when {@code MiscInfo} records its times */
    public Optional<Instant> createTime() {
        return dump.miscInfo().flatMap(MiscInfo::processCreateTime);
    }

    /** @return the main module's file name, e.g. {@code CrashTest.exe}, or empty without a module list */
    public Optional<String> imageName() {
        return dump.modules().isEmpty() ? Optional.empty() : Optional.of(dump.modules().get(0).baseName());
    }

    /** @return the main module's file name, or a placeholder naming the dump when it has no module list */
    public String name() {
        return imageName().orElse("?");
    }

    /** @return the main module's path, e.g. {@code C:\Tools\CrashTest.exe} */
    public Optional<String> imagePath() {
        return dump.modules().isEmpty() ? Optional.empty() : Optional.of(dump.modules().get(0).name());
    }

    /** @return the main module (the process's executable), first on the module list */
    public Optional<MinidumpModule> mainModule() {
        return dump.modules().isEmpty() ? Optional.empty() : Optional.of(dump.modules().get(0));
    }

    /** @return the captured memory, addressed by virtual address; uncaptured addresses read as missing */
    public Layer memory() {
        return dump.memory();
    }

    /** @return the module list, in the dump's order */
    public List<MinidumpModule> modules() {
        return dump.modules();
    }

    /** @return the thread list */
    public List<MinidumpThread> threads() {
        return dump.threads();
    }

    /** @return the captured memory ranges in address order */
    public List<MemoryRange> ranges() {
        return ranges;
    }

    /** @return the address-space regions the writer recorded ({@code MemoryInfoList}), in address order */
    public List<MemoryInfo> regions() {
        return List.copyOf(regionsByBase.values());
    }

    /** @return the module whose image holds {@code address} */
    public Optional<MinidumpModule> moduleAt(long address) {
        Map.Entry<Long, MinidumpModule> e = modulesByBase.floorEntry(address);
        if (e != null && e.getValue().contains(address)) {
            return Optional.of(e.getValue());
        }
        // images may overlap in a damaged list; fall back to the dump's own order
        return e == null ? Optional.empty() : dump.moduleAt(address);
    }

    /** @return the {@code MemoryInfoList} region holding {@code address} */
    public Optional<MemoryInfo> regionAt(long address) {
        Map.Entry<Long, MemoryInfo> e = regionsByBase.floorEntry(address);
        if (e == null) {
            return Optional.empty();
        }
        MemoryInfo r = e.getValue();
        return Long.compareUnsigned(address - r.baseAddress(), r.regionSize()) < 0 ? Optional.of(r) : Optional.empty();
    }

    /** @return e.g. {@code app.dmp is a user-mode minidump of PID 1234 (CrashTest.exe)} */
    public String describe() {
        OptionalLong pid = pid();
        return file.getFileName() + " is a user-mode minidump of " + (pid.isPresent() ? "PID " + pid.getAsLong()
                + imageName().map(n -> " (" + n + ")").orElse("") : imageName().orElse("one process")
                        + " (its process id is not recorded)");
    }

    /** @return how diagnostics name the process, e.g. {@code CrashTest.exe (pid 6256, minidump)} */
    @Override
    public String toString() {
        return name() + " (" + (pid().isPresent() ? "pid " + pid().getAsLong() + ", " : "") + "minidump)";
    }

    /** @return the pid for file names and rows, or -1 when the dump does not record it */
    public long pidOrMinus1() {
        return pid().orElse(-1);
    }

    /** @return a region as {@code VirtualQuery} described it, e.g. {@code committed PAGE_READWRITE private} */
    public static String describe(MemoryInfo r) {
        StringBuilder sb = new StringBuilder(switch (r.state()) {
            case 0x1000 -> "committed";
            case 0x2000 -> "reserved";
            case 0x10000 -> "free";
            default -> "state 0x" + Integer.toHexString(r.state());
        });
        if (r.state() == 0x1000) {
            sb.append(' ').append(protection(r.protect()));
        }
        if (r.state() != 0x10000) {
            sb.append(' ').append(switch (r.type()) {
                case 0x20000 -> "private";
                case 0x40000 -> "mapped";
                case 0x1000000 -> "image";
                default -> "type 0x" + Integer.toHexString(r.type());
            });
        }
        return sb.toString();
    }

    /** @return the {@code PAGE_*} name of a Win32 protection, with its modifiers */
    public static String protection(int protect) {
        String base = switch (protect & 0xff) {
            case 0x01 -> "PAGE_NOACCESS";
            case 0x02 -> "PAGE_READONLY";
            case 0x04 -> "PAGE_READWRITE";
            case 0x08 -> "PAGE_WRITECOPY";
            case 0x10 -> "PAGE_EXECUTE";
            case 0x20 -> "PAGE_EXECUTE_READ";
            case 0x40 -> "PAGE_EXECUTE_READWRITE";
            case 0x80 -> "PAGE_EXECUTE_WRITECOPY";
            default -> "0x" + Integer.toHexString(protect & 0xff);
        };
        StringBuilder sb = new StringBuilder(base);
        if ((protect & 0x100) != 0) {
            sb.append("|PAGE_GUARD");
        }
        if ((protect & 0x200) != 0) {
            sb.append("|PAGE_NOCACHE");
        }
        if ((protect & 0x400) != 0) {
            sb.append("|PAGE_WRITECOMBINE");
        }
        return sb.toString();
    }

    /** @return the thread whose captured stack holds {@code address} */
    public Optional<MinidumpThread> stackAt(long address) {
        return dump.threads().stream().filter(t -> t.stackSize() > 0 && Long.compareUnsigned(address - t.stackStart(),
                t.stackSize()) < 0).findFirst();
    }

    /**
     * @return where {@code address} lies: the module holding it, else the thread stack and region, as far
     *         as the dump records them; empty when it records nothing
     */
    public String placeOf(long address) {
        Optional<MinidumpModule> m = moduleAt(address);
        if (m.isPresent()) {
            return m.get().baseName();
        }
        String stack = stackAt(address).map(t -> "stack of thread " + t.threadId()).orElse("");
        String region = regionAt(address).map(MinidumpProcess::describe).orElse("");
        return stack.isEmpty() || region.isEmpty() ? stack + region : region + ", " + stack;
    }
}
