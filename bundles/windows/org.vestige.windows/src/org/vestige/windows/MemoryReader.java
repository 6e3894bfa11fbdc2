package org.vestige.windows;

import java.nio.charset.StandardCharsets;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.windows.internal.Bytes;

/** Reads structures through a virtual layer, turning unavailable pages into {@link Readout.Missing} reasons. */
final class MemoryReader {

    private final Layer layer;

    MemoryReader(Layer layer) {
        this.layer = layer;
    }

    Layer layer() {
        return layer;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** @return the bytes, or the reason of the first unavailable run, prefixed with {@code what} and its address */
    Readout<byte[]> bytes(long va, int length, String what) {
        if (!X64Translator.canonical(va) || !X64Translator.canonical(va + length - 1)) {
            return Readout.missing(new MissingCause.NotMapped(), what + " at " + hex(va) + ": not a canonical address");
        }
        byte[] b = new byte[length];
        PageProvenance.Missing[] why = new PageProvenance.Missing[1];
        long[] where = new long[1];
        int got = layer.read(va, b, 0, length, (a, l, p) -> {
            if (why[0] == null && p instanceof PageProvenance.Missing m) {
                why[0] = m;
                where[0] = a;
            }
        });
        if (got == length) {
            return Readout.of(b);
        }
        MissingCause cause = why[0] != null ? why[0].cause() : new MissingCause.Unreadable();
        String reason = why[0] != null ? why[0].reason() : "not readable";
        return Readout.missing(cause, what + " at " + hex(va) + (where[0] != va && why[0] != null ? " (byte " + hex(
                where[0]) + ")" : "") + ": " + reason);
    }

    Readout<Long> qword(long va, String what) {
        return bytes(va, 8, what).map(b -> Bytes.u64(b, 0));
    }

    /**
     * Reads the characters of a {@code _UNICODE_STRING} whose Length, MaximumLength and Buffer were
     * already read.
     *
     * @param maxBytes the longest string accepted; longer Lengths are smear
     */
    Readout<String> utf16(int length, int maximum, long buffer, int maxBytes, String what) {
        if (length == 0) {
            return Readout.of("");
        }
        if ((length & 1) != 0 || length > maxBytes || (maximum != 0 && maximum < length)) {
            return Readout.missing(what + ": implausible Length " + length + " (MaximumLength " + maximum + ")");
        }
        if (buffer == 0) {
            return Readout.missing(what + ": Length " + length + " but a null Buffer");
        }
        return bytes(buffer, length, what + " buffer").map(b -> new String(b, StandardCharsets.UTF_16LE));
    }

    /** Reads the {@code _UNICODE_STRING} (x64 layout: Length u16, MaximumLength u16, Buffer @+8) at {@code va}. */
    Readout<String> unicodeString(long va, int maxBytes, String what) {
        return bytes(va, 16, what).flatMap(b -> utf16(Bytes.u16(b, 0), Bytes.u16(b, 2), Bytes.u64(b, 8), maxBytes,
                what));
    }

    /** Decodes a {@code _UNICODE_STRING} held at {@code at} in {@code struct}. */
    Readout<String> unicodeString(byte[] struct, int at, int maxBytes, String what) {
        return utf16(Bytes.u16(struct, at), Bytes.u16(struct, at + 2), Bytes.u64(struct, at + 8), maxBytes, what);
    }
}
