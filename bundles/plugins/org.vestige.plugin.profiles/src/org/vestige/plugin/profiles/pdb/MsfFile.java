package org.vestige.plugin.profiles.pdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Multi-Stream File container of a PDB (MSF 7.0): a superblock, a block map naming the blocks of
 * the stream directory, and the directory listing each stream's size and blocks. Layout facts from
 * Microsoft's microsoft-pdb repository ({@code PDB/msf/msf.cpp}) and LLVM's "The MSF File Format"
 * documentation.
 *
 * <p>Every count, size and block index is checked against the file before use: a stream can never
 * be larger than the file, so reading one costs at most the file's size in memory.
 *
 * @since 0.1
 */
public final class MsfFile {

    /** The 32-byte signature of MSF 7.0 files. */
    static final byte[] MAGIC = "Microsoft C/C++ MSF 7.00\r\n\u001aDS\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

    private static final int NIL_STREAM = -1;

    private final byte[] file;
    private final String name;
    private final int blockSize;
    private final int[] sizes;
    private final int[][] blocks;

    private MsfFile(byte[] file, String name, int blockSize, int[] sizes, int[][] blocks) {
        this.file = file;
        this.name = name;
        this.blockSize = blockSize;
        this.sizes = sizes;
        this.blocks = blocks;
    }

    /**
     * Reads the superblock and the stream directory.
     *
     * @param file the whole file
     * @param name names it in messages
     * @throws PdbException naming what is wrong: not MSF 7.0, a block size that is not a power of two
     *                      from 512 to 65536, a block count beyond the file, a directory or stream whose
     *                      blocks lie outside the file, sizes the directory cannot hold
     */
    public static MsfFile read(byte[] file, String name) throws PdbException {
        Cursor sb = new Cursor(file, name + ": MSF superblock");
        byte[] magic = sb.bytes(MAGIC.length, "the MSF 7.0 signature");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new PdbException(name + ": not an MSF 7.0 program database (no \"Microsoft C/C++ MSF 7.00\" "
                    + "signature at offset 0)");
        }
        int blockSize = sb.i32("the block size");
        if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1) {
            throw new PdbException(name + ": MSF superblock: block size " + Integer.toUnsignedString(blockSize)
                    + " is not a power of two from 512 to 65536");
        }
        sb.u32("the free block map block");
        long numBlocks = sb.u32("the block count");
        long fileBlocks = file.length / blockSize;
        if (numBlocks > fileBlocks) {
            throw new PdbException(name + ": MSF superblock: " + numBlocks + " blocks of " + blockSize
                    + " bytes, but the file has " + file.length + " bytes (" + fileBlocks + " blocks): truncated");
        }
        int directoryBytes = sb.count("the stream directory size", file.length);
        sb.u32("the reserved field");
        long mapBlock = sb.u32("the block map address");
        MsfFile partial = new MsfFile(file, name, blockSize, new int[0], new int[0][]);
        int directoryBlocks = blocksFor(directoryBytes, blockSize);
        int[] directoryMap = new int[directoryBlocks];
        Cursor map = partial.block(mapBlock, (int) numBlocks, "the block map");
        if (directoryBlocks * 4L > blockSize) {
            throw new PdbException(name + ": MSF superblock: a stream directory of " + directoryBytes
                    + " bytes needs more block map entries than one block holds");
        }
        for (int i = 0; i < directoryBlocks; i++) {
            directoryMap[i] = partial.checkBlock(map.u32("block map entry " + i), (int) numBlocks, "the stream "
                    + "directory's block " + i);
        }
        byte[] directory = partial.gather(directoryMap, directoryBytes);
        Cursor dir = new Cursor(directory, name + ": MSF stream directory");
        int count = dir.count("the stream count", directoryBytes / 4);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            long size = dir.u32("the size of stream " + i);
            if (size == 0xffffffffL) {
                sizes[i] = NIL_STREAM;
            } else if (size > file.length) {
                throw dir.error("stream " + i + " is " + size + " bytes, more than the file's " + file.length);
            } else {
                sizes[i] = (int) size;
            }
        }
        int[][] blocks = new int[count][];
        for (int i = 0; i < count; i++) {
            int n = sizes[i] == NIL_STREAM ? 0 : blocksFor(sizes[i], blockSize);
            if (n > dir.remaining() / 4) {
                throw dir.error("stream " + i + " needs " + n + " block numbers but the directory has "
                        + dir.remaining() / 4 + " left");
            }
            blocks[i] = new int[n];
            for (int b = 0; b < n; b++) {
                blocks[i][b] = partial.checkBlock(dir.u32("block " + b + " of stream " + i), (int) numBlocks,
                        "stream " + i + "'s block " + b);
            }
        }
        return new MsfFile(file, name, blockSize, sizes, blocks);
    }

    private static int blocksFor(int bytes, int blockSize) {
        return (int) ((bytes + (long) blockSize - 1) / blockSize);
    }

    private int checkBlock(long index, int numBlocks, String what) throws PdbException {
        if (index >= numBlocks || (index + 1) * blockSize > file.length) {
            throw new PdbException(name + ": " + what + " is block " + index + ", outside the file's " + numBlocks
                    + " blocks");
        }
        return (int) index;
    }

    private Cursor block(long index, int numBlocks, String what) throws PdbException {
        int b = checkBlock(index, numBlocks, what);
        return new Cursor(file, b * blockSize, (b + 1) * blockSize, name + ": " + what);
    }

    private byte[] gather(int[] list, int size) {
        byte[] out = new byte[size];
        for (int i = 0, at = 0; at < size; i++, at += blockSize) {
            System.arraycopy(file, list[i] * blockSize, out, at, Math.min(blockSize, size - at));
        }
        return out;
    }

    /** @return the file's name as given */
    public String name() {
        return name;
    }

    /** @return the block size in bytes */
    public int blockSize() {
        return blockSize;
    }

    /** @return the number of streams in the directory */
    public int streamCount() {
        return sizes.length;
    }

    /** @return whether stream {@code index} exists and is not nil */
    public boolean hasStream(int index) {
        return index >= 0 && index < sizes.length && sizes[index] != NIL_STREAM;
    }

    /**
     * Reads a whole stream.
     *
     * @param index the stream number
     * @param what  names the stream in messages (e.g. "TPI stream")
     * @throws PdbException when the directory has no such stream
     */
    public byte[] stream(int index, String what) throws PdbException {
        if (!hasStream(index)) {
            throw new PdbException(name + ": the " + what + " (stream " + index + ") is not in the "
                    + sizes.length + "-stream directory");
        }
        return gather(blocks[index], sizes[index]);
    }
}
