package org.vestige.plugin.profiles.pdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A program database (MSF 7.0 PDB) read offline: its identity (PDB information stream), its types
 * (TPI stream), the image's section headers and its public symbols with their RVAs (through the DBI
 * stream). Plain Java with no Eclipse dependency.
 *
 * <p>A damaged file is refused with a {@link PdbException} naming the file, the stream and the offset;
 * reading costs at most a few times the file's size in memory and stops at {@link #MAX_FILE_BYTES}.
 *
 * @since 0.1
 */
public final class PdbFile {

    /** The largest PDB read (Windows kernel PDBs are 10–40 MiB). */
    public static final int MAX_FILE_BYTES = 1 << 30;

    /** Fixed stream numbers of MSF 7.0 PDBs. */
    private static final int INFO_STREAM = 1;
    private static final int TPI_STREAM = 2;
    private static final int DBI_STREAM = 3;

    private final String name;
    private final PdbInfo info;
    private final int machine;
    private final TypeStream types;
    private final List<SectionHeader> sections;
    private final List<PublicSymbol> publics;

    private PdbFile(String name, PdbInfo info, int machine, TypeStream types, List<SectionHeader> sections,
            List<PublicSymbol> publics) {
        this.name = name;
        this.info = info;
        this.machine = machine;
        this.types = types;
        this.sections = sections;
        this.publics = publics;
    }

    /**
     * Reads a PDB file.
     *
     * @throws PdbException naming what is wrong and where when the file is not a readable PDB
     * @throws IOException  when it cannot be read at all
     */
    public static PdbFile read(Path file) throws IOException {
        String name = file.toString();
        byte[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (data.length > MAX_FILE_BYTES) {
            throw new PdbException(name + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB; not a PDB this reader "
                    + "accepts");
        }
        return read(data, name);
    }

    /**
     * Reads a PDB from memory.
     *
     * @param data the whole file
     * @param name names it in messages
     * @throws PdbException naming what is wrong and where
     */
    public static PdbFile read(byte[] data, String name) throws PdbException {
        MsfFile msf = MsfFile.read(data, name);
        PdbInfo info = PdbInfo.read(msf.stream(INFO_STREAM, "PDB information stream"), name
                + ": PDB information stream");
        TypeStream types = TypeStream.read(msf.stream(TPI_STREAM, "TPI stream"), name + ": TPI stream");
        DbiStream dbi = DbiStream.read(msf.stream(DBI_STREAM, "DBI stream"), name + ": DBI stream");
        List<SectionHeader> sections = dbi.sectionHeaderStream() < 0 ? List.of() : SymbolRecords.sections(msf
                .stream(dbi.sectionHeaderStream(), "section header stream"), name + ": section header stream "
                        + dbi.sectionHeaderStream());
        List<PublicSymbol> publics = dbi.symbolRecordStream() < 0 ? List.of() : SymbolRecords.publics(msf.stream(
                dbi.symbolRecordStream(), "symbol record stream"), name + ": symbol record stream " + dbi
                        .symbolRecordStream(), sections);
        return new PdbFile(name, info, dbi.machine(), types, List.copyOf(sections), List.copyOf(publics));
    }

    /** @return the name it was read under */
    public String name() {
        return name;
    }

    /** @return GUID, age and signature */
    public PdbInfo info() {
        return info;
    }

    /** @return the IMAGE_FILE_MACHINE value of the DBI stream (0x8664 x64, 0x14c x86) */
    public int machine() {
        return machine;
    }

    /** @return the pointer size of the machine: 8 for x64 and ARM64, else 4 */
    public int pointerSize() {
        return machine == 0x8664 || machine == 0xaa64 ? 8 : 4;
    }

    /** @return the TPI stream's types */
    public TypeStream types() {
        return types;
    }

    /** @return the image's section headers, in order (segment n is element n-1) */
    public List<SectionHeader> sections() {
        return sections;
    }

    /** @return the S_PUB32 public symbols in the order of the symbol-record stream */
    public List<PublicSymbol> publics() {
        return publics;
    }
}
