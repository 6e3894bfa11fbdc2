package org.vestige.plugin.profiles.pdb;

import java.util.List;

/**
 * Small synthetic PDBs for the PDB fuzz target's corpus, written with the tests' {@link PdbBuilder}: a
 * structure with a member, a bitfield, an array, a forward reference and a pointer to it, an enum.
 */
public final class PdbSeeds {

    private PdbSeeds() {
    }

    public static List<byte[]> pdbs() {
        PdbBuilder plain = new PdbBuilder();
        int fields = plain.type(0x1203, PdbBuilder.le((short) 0x150d, (short) 3, 0x74, (short) 8, "Value"));
        plain.type(0x1505, PdbBuilder.le((short) 1, (short) 0, fields, 0, 0, (short) 16, "_THING"));

        PdbBuilder rich = new PdbBuilder();
        int bits = rich.type(0x1205, PdbBuilder.le(0x22, (byte) 3, (byte) 5));
        int array = rich.type(0x1503, PdbBuilder.le(0x20, 0x22, (short) 8, ""));
        int fwd = rich.type(0x1505, PdbBuilder.le((short) 0, (short) 0x80, 0, 0, 0, (short) 0, "_NODE"));
        int pointer = rich.type(0x1002, PdbBuilder.le(fwd, 0x0c | (8 << 13)));
        int constants = rich.type(0x1203, PdbBuilder.le((short) 0x1502, (short) 3, (short) 1, "One", (byte) 0xf2,
                (byte) 0xf1));
        int kind = rich.type(0x1507, PdbBuilder.le((short) 1, (short) 0, 0x74, constants, "_KIND"));
        int members = rich.type(0x1203, PdbBuilder.le((short) 0x150d, (short) 3, pointer, (short) 0, "Next",
                (short) 0x150d, (short) 3, bits, (short) 8, "Bits", (short) 0x150d, (short) 3, array, (short) 12,
                "Bytes", (short) 0x150d, (short) 3, kind, (short) 20, "Kind"));
        rich.type(0x1505, PdbBuilder.le((short) 4, (short) 0, members, 0, 0, (short) 24, "_NODE"));
        return List.of(plain.build(), rich.build());
    }
}
