package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays out a PE32+ image as the loader maps it: DOS header, NT headers, section table, and the
 * pieces an analyst's tools look for — a CodeView (RSDS) debug record naming the PDB, and an export
 * directory. Produces the bytes to place at given RVAs; the caller writes them into virtual memory.
 *
 * @since 0.1
 */
public final class PeImageBuilder {

    /** A section of the image. */
    public record Section(String name, int rva, int virtualSize, int characteristics) {
    }

    private static final int E_LFANEW = 0x100;
    private static final int OPTIONAL_SIZE = 0xF0;

    private final long imageBase;
    private final List<Section> sections = new ArrayList<>();
    private final Map<String, Integer> exports = new TreeMap<>();
    private int entryPoint = 0x1000;
    private int timeDateStamp;
    private int osMajor = 10;
    private int osMinor;
    private String moduleName = "ntoskrnl.exe";
    private int debugRva = -1;
    private byte[] rsds;
    private int exportRva = -1;
    private int sizeOfImage;
    private boolean dll;

    public PeImageBuilder(long imageBase) {
        this.imageBase = imageBase;
    }

    public PeImageBuilder section(String name, int rva, int virtualSize, int characteristics) {
        sections.add(new Section(name, rva, virtualSize, characteristics));
        sizeOfImage = Math.max(sizeOfImage, (rva + virtualSize + 0xfff) & ~0xfff);
        return this;
    }

    /** Adds every section of a table. */
    public PeImageBuilder sections(List<Section> table) {
        table.forEach(s -> section(s.name(), s.rva(), s.virtualSize(), s.characteristics()));
        return this;
    }

    public PeImageBuilder entryPoint(int rva) {
        entryPoint = rva;
        return this;
    }

    public PeImageBuilder timeDateStamp(int value) {
        timeDateStamp = value;
        return this;
    }

    /** @return the file header's TimeDateStamp */
    public int timeDateStamp() {
        return timeDateStamp;
    }

    public PeImageBuilder osVersion(int major, int minor) {
        osMajor = major;
        osMinor = minor;
        return this;
    }

    public PeImageBuilder moduleName(String name, boolean isDll) {
        moduleName = name;
        dll = isDll;
        return this;
    }

    public PeImageBuilder sizeOfImage(int size) {
        sizeOfImage = Math.max(sizeOfImage, size);
        return this;
    }

    public int sizeOfImage() {
        return sizeOfImage;
    }

    /** Exports a symbol by name at an RVA. */
    public PeImageBuilder export(String name, int rva) {
        exports.put(name, rva);
        return this;
    }

    /**
     * Adds a CodeView RSDS record: "RSDS", the GUID in its in-memory order (Data1–3 little-endian,
     * Data4 as is), the age, and the PDB path.
     *
     * @param guid the symbol-server form, 32 hex digits
     */
    public PeImageBuilder codeView(String guid, int age, String pdbPath) {
        byte[] path = (pdbPath + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] r = new byte[24 + path.length];
        r[0] = 'R';
        r[1] = 'S';
        r[2] = 'D';
        r[3] = 'S';
        byte[] g = guidBytes(guid);
        System.arraycopy(g, 0, r, 4, 16);
        Le.put(r, 20, age, 4);
        System.arraycopy(path, 0, r, 24, path.length);
        rsds = r;
        return this;
    }

    /** @return the 16 bytes of a GUID as stored in memory, from its symbol-server string */
    public static byte[] guidBytes(String guid) {
        if (guid.length() != 32) {
            throw new IllegalArgumentException("GUID must be 32 hex digits: " + guid);
        }
        byte[] g = new byte[16];
        Le.put(g, 0, Long.parseLong(guid.substring(0, 8), 16), 4);
        Le.put(g, 4, Long.parseLong(guid.substring(8, 12), 16), 2);
        Le.put(g, 6, Long.parseLong(guid.substring(12, 16), 16), 2);
        for (int i = 0; i < 8; i++) {
            g[8 + i] = (byte) Integer.parseInt(guid.substring(16 + 2 * i, 18 + 2 * i), 16);
        }
        return g;
    }

    /**
     * Builds the metadata block placed at {@code rva} (inside a read-only data section): the debug
     * directory, the RSDS record and the export directory with its tables and names.
     *
     * @return the bytes to write at {@code rva}
     */
    public byte[] metadata(int rva) {
        byte[] out = new byte[0x1000 + exports.size() * 64];
        int at = 0;
        if (rsds != null) {
            debugRva = rva;
            int rsdsRva = rva + 28;
            Le.put(out, 4, timeDateStamp, 4);
            Le.put(out, 12, 2, 4); // IMAGE_DEBUG_TYPE_CODEVIEW
            Le.put(out, 16, rsds.length, 4);
            Le.put(out, 20, rsdsRva, 4);
            Le.put(out, 24, rsdsRva, 4);
            System.arraycopy(rsds, 0, out, 28, rsds.length);
            at = (28 + rsds.length + 15) & ~15;
        }
        if (!exports.isEmpty()) {
            exportRva = rva + at;
            int n = exports.size();
            int dir = at;
            int functions = dir + 40;
            int names = functions + 4 * n;
            int ordinals = names + 4 * n;
            int strings = ordinals + 2 * n;
            byte[] module = (moduleName + "\0").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(module, 0, out, strings, module.length);
            Le.put(out, dir + 4, timeDateStamp, 4);
            Le.put(out, dir + 12, rva + strings, 4);
            Le.put(out, dir + 16, 1, 4);
            Le.put(out, dir + 20, n, 4);
            Le.put(out, dir + 24, n, 4);
            Le.put(out, dir + 28, rva + functions, 4);
            Le.put(out, dir + 32, rva + names, 4);
            Le.put(out, dir + 36, rva + ordinals, 4);
            int s = strings + module.length;
            int i = 0;
            for (Map.Entry<String, Integer> e : exports.entrySet()) {
                Le.put(out, functions + 4 * i, e.getValue(), 4);
                Le.put(out, names + 4 * i, rva + s, 4);
                Le.put(out, ordinals + 2 * i, i, 2);
                byte[] name = (e.getKey() + "\0").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(name, 0, out, s, name.length);
                s += name.length;
                i++;
            }
            exportSize = s - dir;
            at = s;
        }
        byte[] trimmed = new byte[(at + 15) & ~15];
        System.arraycopy(out, 0, trimmed, 0, trimmed.length);
        return trimmed;
    }

    private int exportSize;

    /** @return the first page of the image: DOS header, NT headers and section table */
    public byte[] headers() {
        byte[] h = new byte[0x1000];
        h[0] = 'M';
        h[1] = 'Z';
        Le.put(h, 0x3c, E_LFANEW, 4);
        int pe = E_LFANEW;
        h[pe] = 'P';
        h[pe + 1] = 'E';
        int fh = pe + 4;
        Le.put(h, fh, 0x8664, 2);
        Le.put(h, fh + 2, sections.size(), 2);
        Le.put(h, fh + 4, timeDateStamp, 4);
        Le.put(h, fh + 16, OPTIONAL_SIZE, 2);
        Le.put(h, fh + 18, dll ? 0x2022 : 0x0022, 2);
        int oh = fh + 20;
        Le.put(h, oh, 0x20b, 2);
        Le.put(h, oh + 16, entryPoint, 4);
        Le.put(h, oh + 24, imageBase, 8);
        Le.put(h, oh + 32, 0x1000, 4);
        Le.put(h, oh + 36, 0x200, 4);
        Le.put(h, oh + 40, osMajor, 2);
        Le.put(h, oh + 42, osMinor, 2);
        Le.put(h, oh + 44, osMajor, 2);
        Le.put(h, oh + 46, osMinor, 2);
        Le.put(h, oh + 48, osMajor, 2);
        Le.put(h, oh + 50, osMinor, 2);
        Le.put(h, oh + 56, sizeOfImage, 4);
        Le.put(h, oh + 60, 0x600, 4);
        Le.put(h, oh + 68, dll ? 3 : 1, 2);
        Le.put(h, oh + 108, 16, 4);
        if (exportRva >= 0) {
            Le.put(h, oh + 112, exportRva, 4);
            Le.put(h, oh + 116, exportSize, 4);
        }
        if (debugRva >= 0) {
            Le.put(h, oh + 112 + 6 * 8, debugRva, 4);
            Le.put(h, oh + 112 + 6 * 8 + 4, 28, 4);
        }
        int st = oh + OPTIONAL_SIZE;
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            int at = st + 40 * i;
            byte[] name = s.name().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, h, at, Math.min(8, name.length));
            Le.put(h, at + 8, s.virtualSize(), 4);
            Le.put(h, at + 12, s.rva(), 4);
            Le.put(h, at + 16, (s.virtualSize() + 0x1ff) & ~0x1ff, 4);
            Le.put(h, at + 20, s.rva(), 4);
            Le.put(h, at + 36, s.characteristics(), 4);
        }
        return h;
    }

    /** Section characteristics: code, executable, readable. */
    public static final int CODE = 0x60000020;
    /** Section characteristics: initialized data, readable, writable. */
    public static final int DATA = 0xC0000040;
    /** Section characteristics: initialized data, readable. */
    public static final int RDATA = 0x40000040;
    /** Section characteristic: discardable after initialization (INIT, .reloc). */
    public static final int DISCARDABLE = 0x02000000;
}
