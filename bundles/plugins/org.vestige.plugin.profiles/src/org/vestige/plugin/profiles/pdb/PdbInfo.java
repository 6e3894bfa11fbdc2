package org.vestige.plugin.profiles.pdb;

import java.util.HexFormat;
import java.util.Locale;

/**
 * The PDB information stream (stream 1): version, signature, age and GUID, the identity a symbol
 * store files a PDB under. Layout facts from Microsoft's microsoft-pdb repository
 * ({@code PDB/include/pdb.h}, {@code PDBStream70}).
 *
 * @param version   the format version (20000404 for VC70 and later)
 * @param signature the time stamp written with it
 * @param age       how many times it was written
 * @param guid      the GUID as symbol stores and ISF files write it: 32 upper-case hex digits, no
 *                  braces (Data1–Data3 of the stored little-endian fields first)
 * @since 0.1
 */
public record PdbInfo(long version, long signature, long age, String guid) {

    static PdbInfo read(byte[] stream, String where) throws PdbException {
        Cursor c = new Cursor(stream, where);
        long version = c.u32("the version");
        long signature = c.u32("the signature");
        long age = c.u32("the age");
        byte[] g = c.bytes(16, "the GUID");
        byte[] ordered = {g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13],
            g[14], g[15]};
        return new PdbInfo(version, signature, age, HexFormat.of().formatHex(ordered).toUpperCase(Locale.ROOT));
    }

    /** @return the GUID as Microsoft writes it, e.g. {@code {9AC8F93C-E9BE-44B5-90AA-DF2DFABEA7A3}} */
    public String guidText() {
        String s = guid;
        return "{" + s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-" + s.substring(16,
                20) + "-" + s.substring(20) + "}";
    }
}
