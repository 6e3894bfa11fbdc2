package org.vestige.synth.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Writes what the paging-file stores read: the kernel's {@code _MMPAGING_FILE} records (pagefile.sys,
 * swapfile.sys, the virtual store) and the files themselves, page N at N × 4096, with the bulk
 * paged-out pages streamed.
 */
public final class PagingFileWriter {

    private final Machine machine;
    private final Profile profile;
    private final SynthOptions options;
    private final Random random;
    private final PhysicalImageWriter memory;
    private final PageTableBuilder kernel;
    private final Map<String, Long> rvas;
    private final Map<Long, byte[]> pagefile;
    private final Map<Long, byte[]> swapfile;

    PagingFileWriter(Machine machine) {
        this.machine = machine;
        profile = machine.profile;
        options = machine.options;
        random = machine.random;
        memory = machine.memory;
        kernel = machine.kernel;
        rvas = machine.rvas;
        pagefile = machine.pagefile;
        swapfile = machine.swapfile;
    }

    /** The first pagefile.sys page of the bulk paged-out memory: above every other page placed there. */
    static final long BULK_PAGEFILE_FIRST = 0x10000;

    /**
     * Lays out the kernel's paging-file records: pagefile.sys (0), and where the profile knows the
     * flags swapfile.sys (1, WsSwapPagefile) and the virtual store (2, VirtualStorePagefile), each an
     * _MMPAGING_FILE in pool memory pointed at from MiSystemPartition.Vp.PagingFile[] or MmPagingFile[].
     */
    List<SynthTruth.PagingFile> writePagingFiles() {
        if (!profile.has("_MMPAGING_FILE", "PageFileNumber")) {
            return List.of();
        }
        boolean partition = rvas.containsKey("MiSystemPartition");
        long array = partition ? machine.global("MiSystemPartition") + profile.offset("_MI_PARTITION", "Vp.PagingFile")
                : machine.global("MmPagingFile");
        List<SynthTruth.PagingFile> out = new ArrayList<>();
        long pagefilePages = pagingFilePages(pagefile);
        if (options.bulk() != null && options.bulk().pagedPages() > 0) {
            pagefilePages = Math.max(pagefilePages, BULK_PAGEFILE_FIRST + options.bulk().pagedPages());
        }
        out.add(pagingFileRecord(array, 0, "\\??\\C:\\pagefile.sys", pagefilePages, false, false));
        if (profile.has("_MMPAGING_FILE", "WsSwapPagefile")) {
            out.add(pagingFileRecord(array, 1, "\\??\\C:\\swapfile.sys", Math.max(0x1000, pagingFilePages(swapfile)),
                    true, false));
        }
        if (profile.has("_MMPAGING_FILE", "VirtualStorePagefile")) {
            long size = 0x10000 + 0x100L * random.nextInt(0x100);
            if (machine.store != null) {
                // the virtual store spans every page key handed out
                size = Math.max(size, (machine.store.highestPageFileHigh() + 0x1000) & ~0xfffL);
            }
            out.add(pagingFileRecord(array, CompressedStoreWriter.VIRTUAL_STORE_SLOT, "", size, false, true));
        }
        if (partition) {
            if (profile.has("_MI_PARTITION", "Vp.NumberOfPagingFiles")) {
                kernel.write(machine.global("MiSystemPartition") + profile.offset("_MI_PARTITION",
                        "Vp.NumberOfPagingFiles"),
                        Le.bytes(out.size(), 4));
            }
        } else {
            kernel.write(machine.global("MmNumberOfPagingFiles"), Le.bytes(out.size(), 4));
        }
        return List.copyOf(out);
    }

    SynthTruth.PagingFile pagingFileRecord(long array, int slot, String name, long pages, boolean swap,
            boolean virtualStore) {
        StructBuffer f = new StructBuffer(profile, "_MMPAGING_FILE");
        f.put("Size", pages).putIfPresent("MaximumSize", pages).putIfPresent("MinimumSize", pages);
        f.putUnicode("PageFileName", name.length() * 2, name.isEmpty() ? 0 : name.length() * 2 + 2,
                name.isEmpty() ? 0 : machine.poolString(name));
        f.put("PageFileNumber", slot);
        if (swap) {
            f.put("WsSwapPagefile", 1);
        }
        if (virtualStore) {
            f.put("VirtualStorePagefile", 1);
        }
        long va = machine.poolAlloc(f.size(), 0x66506d4dL); // 'MmPf'
        kernel.write(va, f.bytes());
        kernel.writeLong(array + slot * 8L, va);
        return new SynthTruth.PagingFile(slot, name, pages, swap, virtualStore, va);
    }

    /** @return the pages of a paging file (no header: page N at N × 4096) */
    static byte[] pagingFile(Map<Long, byte[]> pages) {
        byte[] file = new byte[(int) (pagingFilePages(pages) * 4096)];
        pages.forEach((off, page) -> System.arraycopy(page, 0, file, off.intValue(), 4096));
        return file;
    }

    static long pagingFilePages(Map<Long, byte[]> pages) {
        return pages.keySet().stream().mapToLong(Long::longValue).max().orElse(0) / 4096 + 1;
    }

    /** Appends the bulk paged-out pages to pagefile.sys from page {@value #BULK_PAGEFILE_FIRST}, streamed. */
    void writeBulkPagefile(Path pf, int pages) throws IOException {
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(pf,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(256 * 4096);
            for (int i = 0; i < pages;) {
                chunk.clear();
                int n = Math.min(256, pages - i);
                for (int k = 0; k < n; k++) {
                    chunk.put(bulkPage(options.seed(), (1L << 24) + i + k));
                }
                chunk.flip();
                long at = (BULK_PAGEFILE_FIRST + i) * 4096;
                while (chunk.hasRemaining()) {
                    at += out.write(chunk, at);
                }
                i += n;
            }
        }
    }

    /**
     * @return the bytes of bulk page {@code index} (resident pages count from 0, paged-out pages from
     *         1 << 24): words from a generator seeded by both, so pages differ and do not compress
     */
    public static byte[] bulkPage(long seed, long index) {
        byte[] page = new byte[4096];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        for (int at = 0; at < 4096; at += 8) {
            Le.put(page, at, r.nextLong(), 8);
        }
        return page;
    }
}
