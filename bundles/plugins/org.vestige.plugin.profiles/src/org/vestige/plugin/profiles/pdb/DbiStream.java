package org.vestige.plugin.profiles.pdb;

/**
 * The parts of the DBI stream (stream 3) a profile needs: the machine type, the stream numbers of the
 * symbol records and public symbols, and the section-header stream named by the optional debug
 * header. Header layout and substream order are facts from Microsoft's microsoft-pdb repository
 * ({@code PDB/dbi/dbi.h}, {@code NewDBIHdr}) and LLVM's "The PDB DBI Stream" documentation.
 *
 * @param age                 the DBI age
 * @param machine             the IMAGE_FILE_MACHINE value (0x8664 x64, 0x14c x86)
 * @param publicsStream       the publics (hash) stream, or -1
 * @param symbolRecordStream  the symbol-record stream, or -1
 * @param sectionHeaderStream the section-header stream, or -1
 */
record DbiStream(long age, int machine, int publicsStream, int symbolRecordStream, int sectionHeaderStream) {

    private static final int HEADER_SIZE = 64;
    private static final int NO_STREAM = 0xffff;
    /** Index of the section-header stream in the optional debug header's array of stream numbers. */
    private static final int DEBUG_SECTION_HEADERS = 5;

    static DbiStream read(byte[] stream, String where) throws PdbException {
        Cursor c = new Cursor(stream, where);
        int signature = c.i32("the DBI signature");
        if (signature != -1) {
            throw c.error("DBI signature is 0x" + Integer.toHexString(signature) + ", not 0xffffffff (an old "
                    + "format this reader does not read)");
        }
        c.u32("the DBI version");
        long age = c.u32("the DBI age");
        c.u16("the global symbol stream");
        c.u16("the build number");
        int publics = stream(c.u16("the public symbol stream"));
        c.u16("the PDB DLL version");
        int symbols = stream(c.u16("the symbol record stream"));
        c.u16("the PDB DLL build");
        long skip = 0;
        for (String part : new String[] {"module info", "section contribution", "section map", "source info",
                "type server map"}) {
            skip += c.count("the " + part + " size", stream.length);
        }
        c.u32("the MFC type server index");
        int debugHeader = c.count("the optional debug header size", stream.length);
        skip += c.count("the EC substream size", stream.length);
        c.u16("the flags");
        int machine = c.u16("the machine type");
        if (HEADER_SIZE + skip + debugHeader > stream.length) {
            throw c.error("the substreams' sizes add up to " + (HEADER_SIZE + skip + debugHeader)
                    + " bytes, more than the stream's " + stream.length);
        }
        c.seek(HEADER_SIZE + (int) skip);
        Cursor debug = c.slice(debugHeader, "the optional debug header");
        int sections = -1;
        if (debug.remaining() >= 2 * (DEBUG_SECTION_HEADERS + 1)) {
            debug.skip(2 * DEBUG_SECTION_HEADERS, "the debug streams before the section headers");
            sections = stream(debug.u16("the section header stream"));
        }
        return new DbiStream(age, machine, publics, symbols, sections);
    }

    private static int stream(int number) {
        return number == NO_STREAM ? -1 : number;
    }
}
