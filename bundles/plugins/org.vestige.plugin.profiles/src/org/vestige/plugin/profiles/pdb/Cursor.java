package org.vestige.plugin.profiles.pdb;

import java.nio.charset.StandardCharsets;

import org.vestige.core.layer.LittleEndian;

/**
 * A bounds-checked little-endian reader over one stream (or part of one): every read past the end
 * throws a {@link PdbException} naming the stream and the offset instead of an index exception.
 */
final class Cursor {

    private final byte[] data;
    private final int end;
    private final String where;
    private int position;

    Cursor(byte[] data, int start, int end, String where) {
        this.data = data;
        this.position = start;
        this.end = end;
        this.where = where;
    }

    Cursor(byte[] data, String where) {
        this(data, 0, data.length, where);
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    String where() {
        return where;
    }

    /** @return a cursor over the next {@code length} bytes, which this one skips */
    Cursor slice(int length, String what) throws PdbException {
        return slice(length, what, where);
    }

    /** @return a cursor over the next {@code length} bytes naming itself {@code name}; this one skips them */
    Cursor slice(int length, String what, String name) throws PdbException {
        need(length, what);
        Cursor c = new Cursor(data, position, position + length, name);
        position += length;
        return c;
    }

    void seek(int offset) throws PdbException {
        if (offset < 0 || offset > end) {
            throw error("offset 0x" + Integer.toHexString(offset) + " is outside the " + end + " bytes");
        }
        position = offset;
    }

    void skip(int n, String what) throws PdbException {
        need(n, what);
        position += n;
    }

    int u8(String what) throws PdbException {
        need(1, what);
        return LittleEndian.u8(data, position++);
    }

    int u16(String what) throws PdbException {
        need(2, what);
        int v = LittleEndian.u16(data, position);
        position += 2;
        return v;
    }

    int i32(String what) throws PdbException {
        need(4, what);
        int v = LittleEndian.i32(data, position);
        position += 4;
        return v;
    }

    long u32(String what) throws PdbException {
        return i32(what) & 0xffffffffL;
    }

    /** Reads a 32-bit count or size that must fit an int and not exceed {@code limit}. */
    int count(String what, long limit) throws PdbException {
        long v = u32(what);
        if (v > limit) {
            throw error(what + " is " + v + ", more than the " + limit + " the data can hold");
        }
        return (int) v;
    }

    byte[] bytes(int n, String what) throws PdbException {
        need(n, what);
        byte[] b = new byte[n];
        System.arraycopy(data, position, b, 0, n);
        position += n;
        return b;
    }

    /** Reads a zero-terminated UTF-8 string; a name running to the end of the record is accepted. */
    String cstring(String what) throws PdbException {
        int start = position;
        int zero = start;
        while (zero < end && data[zero] != 0) {
            zero++;
        }
        if (zero == end && start == end) {
            throw error(what + " is missing (record ends)");
        }
        position = Math.min(end, zero + 1);
        return new String(data, start, zero - start, StandardCharsets.UTF_8);
    }

    /**
     * Reads a CodeView numeric leaf: a value below 0x8000 is the number itself, otherwise a kind
     * (LF_CHAR, LF_SHORT, LF_USHORT, LF_LONG, LF_ULONG, LF_QUADWORD, LF_UQUADWORD) followed by it.
     */
    long numeric(String what) throws PdbException {
        int leaf = u16(what);
        if (leaf < 0x8000) {
            return leaf;
        }
        return switch (leaf) {
            case 0x8000 -> (byte) u8(what);
            case 0x8001 -> (short) u16(what);
            case 0x8002 -> u16(what);
            case 0x8003 -> i32(what);
            case 0x8004 -> u32(what);
            case 0x8009, 0x800a -> {
                long lo = u32(what);
                yield lo | (u32(what) << 32);
            }
            default -> throw error(what + " has numeric leaf kind 0x" + Integer.toHexString(leaf)
                    + ", which is not an integer");
        };
    }

    private void need(int n, String what) throws PdbException {
        if (n < 0 || n > end - position) {
            throw error("truncated reading " + what + " (" + n + " bytes at offset 0x" + Integer.toHexString(
                    position) + ", " + Math.max(0, end - position) + " left)");
        }
    }

    PdbException error(String message) {
        return new PdbException(where + ": " + message);
    }
}
