package org.vestige.synth;

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
import org.vestige.synth.internal.Json;

/**
 * Writes what ProcDump ({@code procdump -ma}) would have written of a synthesized process: a
 * full-memory minidump of the process's true memory — every page the synthesizer gave content,
 * including the pages the image has paged out, compressed or in transition — with its modules, its
 * system and its process id. It is written here, independently of Vestige's own minidump writer, so
 * that comparing an image with it tests Vestige's reading against the synthesizer's truth.
 *
 * <p>The file has a thread list with no threads (the synthesizer places none), the module list, the
 * system information, the misc information (pid, create time) and a {@code Memory64ListStream}; pages
 * whose content the synthesizer never defined (the untouched parts of mapped DLLs, a page only in its
 * file) are left out, as ProcDump leaves out what it cannot read, and listed in {@link Dump#absentPages()};
 * so are the benchmark's bulk paged-out pages and hive pages moved out of memory, which it does not keep.
 *
 * @since 0.1
 */
public final class ProcDumpWriter {

    /**
     * The bytes of the process's pages.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Memory {
        /** @return the 4096 bytes of the page at {@code va}, or null when the page has no content */
        byte[] page(long va);
    }

    /**
     * A range of memory written.
     *
     * @since 0.1
     */
    public record Range(long base, long size) {
    }

    /**
     * A page of the executable's image, where the image holds it and in which section it lies.
     *
     * @param module     the executable's name
     * @param section    {@code (headers)}, {@code .text}, {@code .rdata} or {@code .data}
     * @param kind       the provenance kind a read of the image reports with every paging file supplied
     *                   (see {@link SynthTruth.ImagePage#kind()})
     * @param slot       the paging file of a paged-out page, else -1
     * @param fileOffset its offset in that paging file, else -1
     * @param sha256     SHA-256 of the page's true bytes (what the minidump holds)
     * @since 0.1
     */
    public record SectionPage(String module, String section, long va, String kind, int slot, long fileOffset,
            String sha256) {

        /** @return whether the image has the page in pagefile.sys (page-file number 0) */
        public boolean inPagefile() {
            return kind.equals("pagefile") && slot == 0;
        }
    }

    /**
     * What was written.
     *
     * @param file        the minidump
     * @param sha256      its SHA-256
     * @param pid         the process
     * @param ranges      the memory ranges written, in address order
     * @param absentPages the pages of the process's VADs left out because they have no content
     * @param imagePages  every page of the executable's image, with its section and where the image has it
     * @since 0.1
     */
    public record Dump(Path file, String sha256, long pid, List<Range> ranges, List<Long> absentPages,
            List<SectionPage> imagePages) {

        /** @return the bytes of memory written */
        public long memoryBytes() {
            return ranges.stream().mapToLong(Range::size).sum();
        }

        /** @return this dump's truth as JSON text */
        public String toJson() {
            Json j = new Json().begin('{');
            j.key("file").value(file.getFileName().toString()).key("sha256").value(sha256).key("pid").value(pid);
            j.key("ranges").open('[');
            for (Range r : ranges) {
                j.open('{').key("base").hex(r.base()).key("size").hex(r.size()).end('}');
            }
            j.end(']').key("absentPages").open('[');
            for (long va : absentPages) {
                j.hex(va);
            }
            j.end(']').key("imagePages").open('[');
            for (SectionPage p : imagePages) {
                j.open('{').key("module").value(p.module()).key("section").value(p.section()).key("va").hex(p.va())
                        .key("kind").value(p.kind()).key("slot").value(p.slot()).key("fileOffset").value(p
                                .fileOffset() < 0 ? null : "0x" + Long.toHexString(p.fileOffset())).key("sha256")
                        .value(p.sha256()).end('}');
            }
            return j.end(']').end('}').toString();
        }
    }

    private static final int PAGE = 4096;
    private static final int SIGNATURE = 0x504d444d; // "MDMP"
    private static final int VERSION = 0xa793;
    private static final long WITH_FULL_MEMORY = 0x2;
    private static final int THREAD_LIST = 3;
    private static final int MODULE_LIST = 4;
    private static final int SYSTEM_INFO = 7;
    private static final int MEMORY64_LIST = 9;
    private static final int MISC_INFO = 15;

    private ProcDumpWriter() {
    }

    /**
     * Writes the minidump.
     *
     * @param build      the Windows build, for the system information
     * @param created    the process's create time; the dump says it was taken an hour later
     * @param modules    the modules to list (the executable first)
     * @param vads       the process's VADs: the memory captured
     * @param imagePages the executable's pages, for {@link Dump#imagePages()}
     */
    public static Dump write(Path file, int build, long pid, Instant created, List<SynthTruth.Module> modules,
            List<SynthTruth.Vad> vads, Memory memory, List<SectionPage> imagePages) throws IOException {
        List<Range> ranges = new ArrayList<>();
        List<Long> absent = new ArrayList<>();
        for (SynthTruth.Vad v : vads.stream().sorted(Comparator.comparingLong(SynthTruth.Vad::start)).toList()) {
            for (long va = v.start(); va <= v.end(); va += PAGE) {
                if (memory.page(va) == null) {
                    absent.add(va);
                } else if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).base() + ranges.get(ranges.size() - 1)
                        .size() == va) {
                    Range last = ranges.remove(ranges.size() - 1);
                    ranges.add(new Range(last.base(), last.size() + PAGE));
                } else {
                    ranges.add(new Range(va, PAGE));
                }
            }
        }

        int streams = 5;
        int directory = 32;
        int threadList = directory + 12 * streams;
        int moduleList = threadList + 4;
        int names = moduleList + 4 + 108 * modules.size();
        int[] nameRva = new int[modules.size()];
        int at = names;
        for (int i = 0; i < modules.size(); i++) {
            nameRva[i] = at;
            at += 4 + 2 * modules.get(i).path().length() + 2;
            at = (at + 3) & ~3;
        }
        int systemInfo = at;
        int csd = systemInfo + 56;
        int misc = csd + 8;
        int memoryList = (misc + 24 + 7) & ~7;
        long data = memoryList + 16 + 16L * ranges.size();
        ByteBuffer b = ByteBuffer.allocate((int) data).order(ByteOrder.LITTLE_ENDIAN);

        b.putInt(0, SIGNATURE).putInt(4, VERSION).putInt(8, streams).putInt(12, directory);
        // taken an hour after the process started: a time of the image's own, so equal seeds give equal dumps
        b.putInt(20, (int) created.plusSeconds(3600).getEpochSecond()).putLong(24, WITH_FULL_MEMORY);
        int[][] dir = {{THREAD_LIST, 4, threadList}, {MODULE_LIST, 4 + 108 * modules.size(), moduleList},
            {SYSTEM_INFO, 56, systemInfo}, {MISC_INFO, 24, misc}, {MEMORY64_LIST, 16 + 16 * ranges.size(),
                memoryList}};
        for (int i = 0; i < dir.length; i++) {
            b.putInt(directory + 12 * i, dir[i][0]).putInt(directory + 12 * i + 4, dir[i][1]).putInt(directory + 12 * i
                    + 8, dir[i][2]);
        }
        b.putInt(threadList, 0);

        b.putInt(moduleList, modules.size());
        for (int i = 0; i < modules.size(); i++) {
            SynthTruth.Module m = modules.get(i);
            int e = moduleList + 4 + 108 * i;
            byte[] header = memory.page(m.base());
            b.putLong(e, m.base()).putInt(e + 8, m.size());
            if (header != null) {
                ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
                int nt = h.getInt(0x3c);
                if (nt > 0 && nt + 24 + 68 <= PAGE && h.getInt(nt) == 0x4550) {
                    b.putInt(e + 12, h.getInt(nt + 24 + 64)); // CheckSum
                    b.putInt(e + 16, h.getInt(nt + 8)); // TimeDateStamp
                }
            }
            b.putInt(e + 20, nameRva[i]);
            byte[] name = m.path().getBytes(StandardCharsets.UTF_16LE);
            b.putInt(nameRva[i], name.length).put(nameRva[i] + 4, name);
        }

        b.putShort(systemInfo, (short) 9); // PROCESSOR_ARCHITECTURE_AMD64
        b.putShort(systemInfo + 2, (short) 6);
        b.put(systemInfo + 6, (byte) 4);
        b.put(systemInfo + 7, (byte) 1); // VER_NT_WORKSTATION
        b.putInt(systemInfo + 8, build >= 10240 ? 10 : 6).putInt(systemInfo + 12, build >= 10240 ? 0 : build >= 9600
                ? 3 : build >= 9200 ? 2 : build >= 7600 ? 1 : 0);
        b.putInt(systemInfo + 16, build).putInt(systemInfo + 20, 2).putInt(systemInfo + 24, csd);
        b.putInt(csd, 0); // an empty CSDVersion

        b.putInt(misc, 24).putInt(misc + 4, 0x1 | 0x2).putInt(misc + 8, (int) pid).putInt(misc + 12, (int) created
                .getEpochSecond());

        b.putLong(memoryList, ranges.size()).putLong(memoryList + 8, data);
        for (int i = 0; i < ranges.size(); i++) {
            b.putLong(memoryList + 16 + 16 * i, ranges.get(i).base()).putLong(memoryList + 24 + 16 * i, ranges.get(i)
                    .size());
        }

        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream o = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20),
                sha)) {
            o.write(b.array());
            for (Range r : ranges) {
                for (long va = r.base(); va < r.base() + r.size(); va += PAGE) {
                    o.write(memory.page(va));
                }
            }
        }
        return new Dump(file, HexFormat.of().formatHex(sha.digest()), pid, List.copyOf(ranges), List.copyOf(absent),
                List.copyOf(imagePages));
    }
}
