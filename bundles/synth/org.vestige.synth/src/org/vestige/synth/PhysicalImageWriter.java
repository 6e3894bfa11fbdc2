package org.vestige.synth;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.vestige.synth.internal.Le;

/**
 * The physical memory of a synthesized machine, held sparsely (only written 4 KiB frames exist) and
 * written out as a raw image with holes for everything else. Frames are handed out in a scattered
 * order from the seed, as a real allocator's free lists would leave them.
 *
 * @since 0.1
 */
public final class PhysicalImageWriter {

    private static final int PAGE = 4096;
    /** frames below 2 MiB hold firmware, the low stub and the boot page tables; never handed out */
    private static final long FIRST_FRAME = 0x200;

    private final long size;
    private final Random random;
    private final Map<Long, byte[]> frames = new TreeMap<>();
    private final BitSet used = new BitSet();
    private final long allocationLimit;
    private long cursor = FIRST_FRAME;
    /** Whether free frames hold what a running machine leaves in them ({@link #fillFreeFrames}). */
    private boolean dense;
    private long fillSeed;

    /**
     * @param size   the machine's physical memory size in bytes (the image's length)
     * @param random the synthesizer's seeded generator
     */
    public PhysicalImageWriter(long size, Random random) {
        if (size < (64L << 20) || (size & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("physical size 0x" + Long.toHexString(size)
                    + " must be a page multiple of at least 64 MiB");
        }
        this.size = size;
        this.random = random;
        this.allocationLimit = Math.min(size, 1L << 30) / PAGE;
    }

    public long size() {
        return size;
    }

    /** @return the physical address of a fresh, zeroed frame */
    public long allocateFrame() {
        for (int tries = 0; tries < allocationLimit; tries++) {
            cursor += 1 + random.nextInt(4);
            if (cursor >= allocationLimit) {
                cursor = FIRST_FRAME + random.nextInt(64);
            }
            if (!used.get((int) cursor)) {
                used.set((int) cursor);
                return cursor * PAGE;
            }
        }
        throw new IllegalStateException("physical memory of the synthesized machine is exhausted");
    }

    /** Marks a frame as taken (for fixed placements such as the low stub or the kernel's own tables). */
    public void claim(long pa) {
        long frame = pa / PAGE;
        if (frame >= 0 && frame < size / PAGE) {
            used.set((int) frame);
        }
    }

    /**
     * Makes the image dense: every frame no structure took (not allocated, claimed, reserved or written, and
     * above the first 2 MiB of firmware and boot tables) is written with what a running machine's free lists
     * leave in such a frame: zeroed pages, text, UTF-16 strings, high-entropy and compressed data, freed pool
     * blocks. The content of each frame follows from {@code seed} and its number alone. Structures never see it:
     * {@link #readPage} and {@link #readLong} read free frames as zeros, as the synthesizer's own view of unused
     * memory; the image file holds it.
     *
     * @since 0.1
     */
    public void fillFreeFrames(long seed) {
        dense = true;
        fillSeed = seed;
    }

    /**
     * Takes a free frame anywhere in memory (above the first 2 MiB), chosen from {@code seed} alone so that the
     * rest of the layout does not move: for what a dense image's free memory holds on purpose (stale copies of
     * objects). The caller writes the whole frame.
     *
     * @return its physical address
     * @since 0.1
     */
    public long claimFreeFrame(long seed) {
        long total = size / PAGE;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int tries = 0; tries < 1_000_000; tries++) {
            long frame = FIRST_FRAME + r.nextLong(total - FIRST_FRAME);
            if (!used.get((int) frame) && !frames.containsKey(frame)) {
                used.set((int) frame);
                return frame * PAGE;
            }
        }
        throw new IllegalStateException("no free frame left in the synthesized machine's memory");
    }

    /** @return whether free frames are filled ({@link #fillFreeFrames}) */
    public boolean dense() {
        return dense;
    }

    /** Reserves a contiguous, aligned run of frames (for a large page) and returns its physical address. */
    public long reserve(long length, long alignment) {
        long frames = length / PAGE;
        long alignFrames = alignment / PAGE;
        long firstSlot = (FIRST_FRAME + alignFrames - 1) / alignFrames;
        long lastSlot = (allocationLimit - frames) / alignFrames;
        for (int tries = 0; lastSlot >= firstSlot && tries < 256; tries++) {
            long start = (firstSlot + random.nextInt((int) (lastSlot - firstSlot + 1))) * alignFrames;
            if (used.get((int) start, (int) (start + frames)).isEmpty()) {
                used.set((int) start, (int) (start + frames));
                return start * PAGE;
            }
        }
        throw new IllegalStateException("no free 0x" + Long.toHexString(length) + "-byte run in physical memory");
    }

    /**
     * Reserves the frames of {@code [pa, pa + length)}, a range fixed by the layout (the boot-mapped kernel of
     * Windows 7, whose physical address is its virtual address less 0xfffff80000000000), so that no later
     * allocation hands them out.
     *
     * @throws IllegalStateException when a frame of the range is already taken or the range lies outside memory
     */
    public void reserveAt(long pa, long length) {
        long first = pa / PAGE;
        long end = (pa + length + PAGE - 1) / PAGE;
        if (pa < 0 || end * PAGE > size) {
            throw new IllegalStateException("physical range 0x" + Long.toHexString(pa) + "+0x" + Long.toHexString(
                    length) + " lies outside the machine's 0x" + Long.toHexString(size) + " bytes");
        }
        if (!used.get((int) first, (int) end).isEmpty()) {
            throw new IllegalStateException("physical range 0x" + Long.toHexString(pa) + "+0x" + Long.toHexString(
                    length) + " is already partly taken");
        }
        used.set((int) first, (int) end);
    }

    private byte[] frame(long pa) {
        if (pa < 0 || pa >= size) {
            throw new IllegalArgumentException("physical address 0x" + Long.toHexString(pa) + " outside the machine");
        }
        return frames.computeIfAbsent(pa / PAGE, f -> new byte[PAGE]);
    }

    public void write(long pa, byte[] data, int offset, int length) {
        while (length > 0) {
            int within = (int) (pa % PAGE);
            int n = Math.min(length, PAGE - within);
            System.arraycopy(data, offset, frame(pa), within, n);
            pa += n;
            offset += n;
            length -= n;
        }
    }

    public void write(long pa, byte[] data) {
        write(pa, data, 0, data.length);
    }

    public void writeLong(long pa, long value) {
        write(pa, Le.bytes(value, 8));
    }

    public long readLong(long pa) {
        byte[] f = frames.get(pa / PAGE);
        if (f == null) {
            return 0;
        }
        return Le.get(f, (int) (pa % PAGE), 8);
    }

    /** @return a copy of the 4096 bytes of the frame at {@code pa} (zeros where nothing was written) */
    public byte[] readPage(long pa) {
        byte[] f = frames.get(pa / PAGE);
        return f == null ? new byte[PAGE] : f.clone();
    }

    /** @return the number of frames that hold data */
    public int framesWritten() {
        return frames.size();
    }

    /**
     * Writes the image: the file has the machine's full size; unwritten frames are holes, or in a dense image
     * ({@link #fillFreeFrames}) free frames hold their generated content (zeroed ones stay holes).
     */
    public void writeTo(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
            raf.setLength(size);
            FileChannel ch = raf.getChannel();
            for (Map.Entry<Long, byte[]> e : frames.entrySet()) {
                write(ch, ByteBuffer.wrap(e.getValue()), e.getKey() * PAGE);
            }
            if (dense) {
                writeFreeFrames(ch);
            }
        }
    }

    /** Frames generated at once: both cores fill a window while the last one is written. */
    private static final int WINDOW_FRAMES = 16_384;

    private void writeFreeFrames(FileChannel ch) throws IOException {
        long total = size / PAGE;
        byte[][] window = new byte[WINDOW_FRAMES][];
        for (long start = FIRST_FRAME; start < total; start += WINDOW_FRAMES) {
            long first = start;
            int count = (int) Math.min(WINDOW_FRAMES, total - start);
            java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
                long frame = first + i;
                byte[] page = null;
                if (!used.get((int) frame) && !frames.containsKey(frame)) {
                    page = new byte[PAGE];
                    if (!org.vestige.synth.internal.FreeMemory.frame(fillSeed, frame, page)) {
                        page = null; // a zeroed frame: the hole reads as zeros
                    }
                }
                window[i] = page;
            });
            for (int i = 0; i < count; i++) {
                if (window[i] != null) {
                    write(ch, ByteBuffer.wrap(window[i]), (first + i) * PAGE);
                    window[i] = null;
                }
            }
        }
    }

    private static void write(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
