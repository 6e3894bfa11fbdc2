package org.vestige.windows.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.vestige.core.layer.Layer;

/**
 * The parts of a mapped PE32+ image that kernel discovery needs, read through a virtual layer: the
 * section table, SizeOfImage, the export and debug directories, and the CodeView (RSDS) record.
 */
public record PeImage(long base, int sizeOfImage, List<Section> sections, int exportRva, int exportSize,
        int debugRva, int debugSize) {

    /**
     * A section header.
     *
     * @param characteristics the section's flags ({@code IMAGE_SCN_*})
     */
    public record Section(String name, int rva, int virtualSize, int characteristics) {

        /** IMAGE_SCN_MEM_EXECUTE (PE/COFF specification, "Section Flags"). */
        public static final int MEM_EXECUTE = 0x20000000;

        /** @return whether the section's pages may be executed */
        public boolean executable() {
            return (characteristics & MEM_EXECUTE) != 0;
        }

        /** @return whether the section covers the image offset {@code rva} */
        public boolean contains(long rva) {
            return rva >= (this.rva & 0xffffffffL) && rva < (this.rva & 0xffffffffL) + (virtualSize & 0xffffffffL);
        }
    }

    /** A CodeView RSDS record: the PDB's GUID (symbol-server form), age and path. */
    public record CodeView(String guid, int age, String path) {

        /** @return the file name of the PDB path */
        public String pdbName() {
            int cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
            return path.substring(cut + 1);
        }
    }

    /** Thrown when the bytes at an address are not a PE image; the message says what failed. */
    public static final class NotPeException extends Exception {
        private static final long serialVersionUID = 1L;

        public NotPeException(String message) {
            super(message);
        }
    }

    /** Reads the headers at {@code base}. */
    public static PeImage read(Layer layer, long base) throws NotPeException {
        byte[] h = new byte[0x1000];
        int got = layer.read(base, h, 0, h.length);
        if (got < 0x200) {
            throw new NotPeException("header page at 0x" + Long.toHexString(base) + " is not readable");
        }
        if (h[0] != 'M' || h[1] != 'Z') {
            throw new NotPeException("no MZ signature at 0x" + Long.toHexString(base));
        }
        int lfanew = (int) Bytes.u32(h, 0x3c);
        if (lfanew < 0x40 || lfanew > 0x800) {
            throw new NotPeException("e_lfanew 0x" + Integer.toHexString(lfanew) + " out of range");
        }
        if (h[lfanew] != 'P' || h[lfanew + 1] != 'E' || h[lfanew + 2] != 0 || h[lfanew + 3] != 0) {
            throw new NotPeException("no PE signature at +0x" + Integer.toHexString(lfanew));
        }
        int fh = lfanew + 4;
        int machine = Bytes.u16(h, fh);
        if (machine != 0x8664) {
            throw new NotPeException("machine 0x" + Integer.toHexString(machine) + " is not x64");
        }
        int sectionCount = Bytes.u16(h, fh + 2);
        int optionalSize = Bytes.u16(h, fh + 16);
        int oh = fh + 20;
        if (Bytes.u16(h, oh) != 0x20b) {
            throw new NotPeException("optional header magic 0x" + Integer.toHexString(Bytes.u16(h, oh))
                    + " is not PE32+");
        }
        int sizeOfImage = (int) Bytes.u32(h, oh + 56);
        int dirs = (int) Bytes.u32(h, oh + 108);
        int exportRva = dirs > 0 ? (int) Bytes.u32(h, oh + 112) : 0;
        int exportSize = dirs > 0 ? (int) Bytes.u32(h, oh + 116) : 0;
        int debugRva = dirs > 6 ? (int) Bytes.u32(h, oh + 112 + 48) : 0;
        int debugSize = dirs > 6 ? (int) Bytes.u32(h, oh + 116 + 48) : 0;
        int st = oh + optionalSize;
        if (sectionCount > 96 || st + 40L * sectionCount > h.length) {
            throw new NotPeException(sectionCount + " sections do not fit in the header page");
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < sectionCount; i++) {
            int at = st + 40 * i;
            int len = 0;
            while (len < 8 && h[at + len] != 0) {
                len++;
            }
            sections.add(new Section(new String(h, at, len, StandardCharsets.US_ASCII), (int) Bytes.u32(h, at + 12),
                    (int) Bytes.u32(h, at + 8), (int) Bytes.u32(h, at + 36)));
        }
        return new PeImage(base, sizeOfImage, List.copyOf(sections), exportRva, exportSize, debugRva, debugSize);
    }

    public boolean hasSection(String name) {
        return sections.stream().anyMatch(s -> s.name().equals(name));
    }

    /** @return the CodeView record named by the debug directory, when present and readable */
    public Optional<CodeView> codeView(Layer layer) {
        if (debugRva == 0 || debugSize < 28) {
            return Optional.empty();
        }
        int entries = Math.min(debugSize / 28, 16);
        byte[] dir = layer.readBytes(base + debugRva, entries * 28);
        for (int i = 0; i < entries; i++) {
            if (Bytes.u32(dir, i * 28 + 12) == 2) {
                long rva = Bytes.u32(dir, i * 28 + 20);
                int size = (int) Math.min(Bytes.u32(dir, i * 28 + 16), 0x200);
                if (size < 25) {
                    continue;
                }
                byte[] r = new byte[size];
                if (layer.read(base + rva, r, 0, size) == size) {
                    Optional<CodeView> cv = parseRsds(r, 0);
                    if (cv.isPresent()) {
                        return cv;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Parses an RSDS record at {@code at}: "RSDS", GUID (Data1–3 little-endian, Data4 as is), age, path. */
    public static Optional<CodeView> parseRsds(byte[] b, int at) {
        if (at + 25 > b.length || b[at] != 'R' || b[at + 1] != 'S' || b[at + 2] != 'D' || b[at + 3] != 'S') {
            return Optional.empty();
        }
        StringBuilder g = new StringBuilder(32);
        g.append(String.format(Locale.ROOT, "%08X%04X%04X", Bytes.u32(b, at + 4), Bytes.u16(b, at + 8),
                Bytes.u16(b, at + 10)));
        for (int i = 0; i < 8; i++) {
            g.append(String.format(Locale.ROOT, "%02X", b[at + 12 + i] & 0xff));
        }
        int age = (int) Bytes.u32(b, at + 20);
        int end = at + 24;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        if (end == b.length) {
            return Optional.empty();
        }
        return Optional.of(new CodeView(g.toString(), age, new String(b, at + 24, end - at - 24,
                StandardCharsets.US_ASCII)));
    }

    /** @return the module name the export directory gives, when it has one that reads */
    public Optional<String> exportName(Layer layer) {
        if (exportRva == 0 || exportSize < 40) {
            return Optional.empty();
        }
        byte[] dir = layer.readBytes(base + exportRva, 40);
        long nameRva = Bytes.u32(dir, 12);
        if (nameRva == 0 || nameRva >= sizeOfImage) {
            return Optional.empty();
        }
        byte[] name = layer.readBytes(base + nameRva, 64);
        int end = 0;
        while (end < name.length && name[end] >= 0x20 && name[end] < 0x7f) {
            end++;
        }
        return end > 0 && end < name.length && name[end] == 0 ? Optional.of(new String(name, 0, end,
                StandardCharsets.US_ASCII)) : Optional.empty();
    }

    /** @return the RVA of an exported name, or -1 */
    public long export(Layer layer, String name) {
        if (exportRva == 0 || exportSize < 40) {
            return -1;
        }
        byte[] dir = layer.readBytes(base + exportRva, 40);
        int functions = (int) Bytes.u32(dir, 20);
        int names = (int) Bytes.u32(dir, 24);
        if (names <= 0 || names > 100_000 || functions <= 0 || functions > 100_000) {
            return -1;
        }
        byte[] nameRvas = layer.readBytes(base + Bytes.u32(dir, 32), names * 4);
        byte[] ordinals = layer.readBytes(base + Bytes.u32(dir, 36), names * 2);
        byte[] want = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int lo = 0;
        int hi = names - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            byte[] candidate = layer.readBytes(base + Bytes.u32(nameRvas, mid * 4), want.length);
            int cmp = compare(candidate, want);
            if (cmp == 0) {
                int ordinal = Bytes.u16(ordinals, mid * 2);
                if (ordinal >= functions) {
                    return -1;
                }
                return Bytes.u32(layer.readBytes(base + Bytes.u32(dir, 28) + ordinal * 4L, 4), 0);
            }
            if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private static int compare(byte[] a, byte[] b) {
        for (int i = 0; i < b.length; i++) {
            int x = a[i] & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x - y;
            }
            if (x == 0) {
                return 0;
            }
        }
        return 0;
    }
}
