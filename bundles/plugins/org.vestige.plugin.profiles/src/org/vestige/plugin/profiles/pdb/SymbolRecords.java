package org.vestige.plugin.profiles.pdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the S_PUB32 public symbols from the symbol-record stream (named by the DBI header): records of
 * a 16-bit length and kind, each S_PUB32 holding flags, offset, segment and name. Record layout facts
 * from Microsoft's microsoft-pdb repository ({@code include/cvinfo.h}, {@code PUBSYM32}).
 */
final class SymbolRecords {

    private static final int S_PUB32 = 0x110e;

    private SymbolRecords() {
    }

    static List<PublicSymbol> publics(byte[] stream, String where, List<SectionHeader> sections)
            throws PdbException {
        Cursor c = new Cursor(stream, where);
        List<PublicSymbol> out = new ArrayList<>();
        while (c.remaining() >= 4) {
            int at = c.position();
            int length = c.u16("a record length");
            if (length < 2) {
                throw c.error("symbol record at offset 0x" + Integer.toHexString(at) + " has length " + length);
            }
            Cursor r = c.slice(length, "the symbol record at offset 0x" + Integer.toHexString(at), where
                    + ", symbol record at offset 0x" + Integer.toHexString(at));
            if (r.u16("the record kind") != S_PUB32) {
                continue;
            }
            int flags = r.i32("the flags");
            long offset = r.u32("the offset");
            int segment = r.u16("the segment");
            String name = r.cstring("the name");
            long rva = segment >= 1 && segment <= sections.size() ? sections.get(segment - 1).virtualAddress()
                    + offset : -1;
            out.add(new PublicSymbol(name, segment, offset, flags, rva));
        }
        return out;
    }

    static List<SectionHeader> sections(byte[] stream, String where) throws PdbException {
        Cursor c = new Cursor(stream, where);
        if (stream.length % SectionHeader.SIZE != 0) {
            throw c.error(stream.length + " bytes is not a whole number of " + SectionHeader.SIZE
                    + "-byte section headers");
        }
        List<SectionHeader> out = new ArrayList<>();
        while (c.remaining() > 0) {
            byte[] name = c.bytes(8, "a section name");
            int n = 0;
            while (n < 8 && name[n] != 0) {
                n++;
            }
            long virtualSize = c.u32("the virtual size");
            long virtualAddress = c.u32("the virtual address");
            c.skip(SectionHeader.SIZE - 16, "the rest of the section header");
            out.add(new SectionHeader(new String(name, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1),
                    virtualSize, virtualAddress));
        }
        return out;
    }
}
