package org.vestige.layer.crashdump;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Builds kernel crash dump files from a known physical image, laid out as Windows writes them: a
 * header filled with "PAGE" and then the fields, followed by the pages as the dump type stores them.
 */
final class KernelDumpBuilder {

    static final int PAGE = 4096;
    static final long DTB = 0x1ad000L;
    static final long PS_LOADED_MODULE_LIST = 0xfffff8047c62a390L;
    static final long PS_ACTIVE_PROCESS_HEAD = 0xfffff8047c61e200L;
    static final long KD_DEBUGGER_DATA_BLOCK = 0xfffff8047c600b20L;
    static final long PFN_DATABASE = 0xfffff8047c6fc500L;
    static final long RIP = 0xfffff8047bdf5a80L;
    static final long RSP = 0xffff850429890ee8L;

    private KernelDumpBuilder() {
    }

    /** A 64-bit header of {@code dumpType} with recognisable values in every field the reader decodes. */
    static ByteBuffer header64(int dumpType) {
        ByteBuffer h = ByteBuffer.allocate(0x2000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < h.capacity(); i += 4) {
            h.putInt(i, DumpHeader.FILL32);
        }
        h.put(0, "PAGEDU64".getBytes(StandardCharsets.US_ASCII));
        h.putInt(0x8, 0xf);
        h.putInt(0xc, 22621);
        h.putLong(0x10, DTB);
        h.putLong(0x18, PFN_DATABASE);
        h.putLong(0x20, PS_LOADED_MODULE_LIST);
        h.putLong(0x28, PS_ACTIVE_PROCESS_HEAD);
        h.putInt(0x30, 0x8664);
        h.putInt(0x34, 4);
        h.putInt(0x38, 0xe2);
        h.putInt(0x3c, 0);
        h.putLong(0x40, 1).putLong(0x48, 2).putLong(0x50, 3).putLong(0x58, 4);
        h.putLong(0x80, KD_DEBUGGER_DATA_BLOCK);
        h.put(0x348, X64Context.of(Map.of("rip", RIP, "rsp", RSP, "rcx", 0xe2L)).raw());
        h.putInt(0xf00, 0x80000003);
        h.putInt(0xf04, 0);
        h.putLong(0xf08, 0);
        h.putLong(0xf10, RIP);
        h.putInt(0xf18, 0);
        h.putInt(0xf98, dumpType);
        h.putLong(0xfa8, 133_000_000_000_000_000L);
        h.putLong(0x1030, 36_000_000_000L);
        h.putInt(0x1040, 1);
        h.putInt(0x1044, 0x110);
        return h;
    }

    /** A 32-bit ({@code PAGEDUMP}) header of {@code dumpType}. */
    static ByteBuffer header32(int dumpType) {
        ByteBuffer h = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < h.capacity(); i += 4) {
            h.putInt(i, DumpHeader.FILL32);
        }
        h.put(0, "PAGEDUMP".getBytes(StandardCharsets.US_ASCII));
        h.putInt(0x8, 0xf);
        h.putInt(0xc, 7601);
        h.putInt(0x10, 0x185000);
        h.putInt(0x14, 0x84000000);
        h.putInt(0x18, 0x8297c850);
        h.putInt(0x1c, 0x8297ba40);
        h.putInt(0x20, 0x14c);
        h.putInt(0x24, 1);
        h.putInt(0x28, 0xa);
        h.putInt(0x2c, 0x11).putInt(0x30, 0x22).putInt(0x34, 0x33).putInt(0x38, 0x44);
        h.put(0x5c, (byte) 1);
        h.putInt(0x60, 0x82970be8);
        h.put(0x320, X86Context.of(Map.of("eip", 0x828d6a6cL, "esp", 0x8f3b7b2cL)).raw());
        h.putInt(0xf88, dumpType);
        h.putInt(0xf94, 1);
        return h;
    }

    /** A complete dump (DumpType 1) holding the pages of {@code runs} ({basePage, pageCount}) of {@code image}. */
    static byte[] fullDump(byte[] image, long[][] runs) {
        ByteBuffer h = header64(1);
        long pages = 0;
        h.putInt(0x88, runs.length);
        for (int i = 0; i < runs.length; i++) {
            h.putLong(0x98 + 16 * i, runs[i][0]);
            h.putLong(0xa0 + 16 * i, runs[i][1]);
            pages += runs[i][1];
        }
        h.putInt(0x8c, 0);
        h.putLong(0x90, pages);
        h.putLong(0xfa0, 0x2000 + pages * PAGE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        for (long[] run : runs) {
            out.write(image, (int) (run[0] * PAGE), (int) (run[1] * PAGE));
        }
        return out.toByteArray();
    }

    /** A 32-bit complete dump. */
    static byte[] fullDump32(byte[] image, long[][] runs) {
        ByteBuffer h = header32(1);
        long pages = 0;
        h.putInt(0x64, runs.length);
        for (int i = 0; i < runs.length; i++) {
            h.putInt(0x6c + 8 * i, (int) runs[i][0]);
            h.putInt(0x70 + 8 * i, (int) runs[i][1]);
            pages += runs[i][1];
        }
        h.putInt(0x68, (int) pages);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        for (long[] run : runs) {
            out.write(image, (int) (run[0] * PAGE), (int) (run[1] * PAGE));
        }
        return out.toByteArray();
    }

    /**
     * A bitmap dump: the 'SDMP'/'FDMP' header at 0x2000, a bitmap of {@code present.length} bits, and the
     * present pages in page order from {@code firstPage} (leaving a gap after the bitmap as Windows does).
     */
    static byte[] bitmapDump(byte[] image, boolean[] present, String signature, int dumpType) {
        ByteBuffer h = header64(dumpType);
        int bitmapBytes = (present.length + 7) / 8;
        long firstPage = (0x2038 + bitmapBytes + PAGE - 1) / PAGE * PAGE + PAGE;
        ByteBuffer b = ByteBuffer.allocate((int) firstPage - 0x2000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, signature.getBytes(StandardCharsets.US_ASCII));
        b.put(4, "DUMP".getBytes(StandardCharsets.US_ASCII));
        long count = 0;
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                b.put(0x38 + i / 8, (byte) (b.get(0x38 + i / 8) | (1 << (i % 8))));
                count++;
            }
        }
        b.putLong(0x20, firstPage);
        b.putLong(0x28, count);
        b.putLong(0x30, present.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(b.array());
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                out.write(image, i * PAGE, PAGE);
            }
        }
        return out.toByteArray();
    }

    /**
     * A newer kernel dump (DumpType 8, 9 or 10): an 'RDMP' header at 0x2000, PFN ranges from 0x2030, and
     * the ranges' pages from the first page offset.
     */
    static byte[] rdmpDump(byte[] image, List<long[]> ranges, int dumpType) {
        ByteBuffer h = header64(dumpType);
        long metadataSize = (ranges.size() + 1) * 16L + 0x20;
        long firstPage = 0x2020 + metadataSize;
        ByteBuffer r = ByteBuffer.allocate((int) (firstPage - 0x2000)).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt(0, 0x40);
        r.put(4, "RDMP".getBytes(StandardCharsets.US_ASCII));
        r.put(8, "DUMP".getBytes(StandardCharsets.US_ASCII));
        r.putLong(0x10, metadataSize);
        r.putLong(0x18, firstPage);
        long pages = ranges.stream().mapToLong(x -> x[1]).sum();
        if (dumpType == 10) {
            r.putInt(0x20, ranges.size());
            r.putLong(0x28, pages);
        }
        for (int i = 0; i < ranges.size(); i++) {
            r.putLong(0x30 + 16 * i, ranges.get(i)[0]);
            r.putLong(0x38 + 16 * i, ranges.get(i)[1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(r.array());
        for (long[] range : ranges) {
            out.write(image, (int) (range[0] * PAGE), (int) (range[1] * PAGE));
        }
        return out.toByteArray();
    }
}
