package org.vestige.plugin.profiles.pdb;

/**
 * The CodeView simple types: type indices below 0x1000, whose low byte is the kind and bits 8–11
 * the pointer mode. Kinds and modes are facts from Microsoft's microsoft-pdb repository
 * ({@code include/cvinfo.h}, {@code SPECIAL_TYPES}, {@code CV_prmode_e}); the names are the ones
 * Volatility 3's ISF files use for the C types.
 *
 * @param name   the base type's name ({@code "void"} for kinds this reader does not know)
 * @param kind   the ISF base kind: int, char, float, bool or void
 * @param size   its size in bytes
 * @param signed whether it is signed
 * @since 0.1
 */
public record SimpleType(String name, String kind, int size, boolean signed) {

    /** The first type index that is a record rather than a simple type. */
    public static final int FIRST_RECORD = 0x1000;

    static final SimpleType VOID = new SimpleType("void", "void", 0, false);

    /** @return the simple type of the index's low byte (its pointer mode ignored) */
    public static SimpleType of(int index) {
        return switch (index & 0xff) {
            case 0x03 -> VOID;
            case 0x08, 0x12 -> new SimpleType("long", "int", 4, true); // HRESULT, long
            case 0x10, 0x68, 0x70 -> new SimpleType("char", "char", 1, true);
            case 0x20, 0x69, 0x7c -> new SimpleType("unsigned char", "char", 1, false);
            case 0x71 -> new SimpleType("wchar", "int", 2, false);
            case 0x7a -> new SimpleType("char16_t", "int", 2, false);
            case 0x7b -> new SimpleType("char32_t", "int", 4, false);
            case 0x11, 0x72 -> new SimpleType("short", "int", 2, true);
            case 0x21, 0x73 -> new SimpleType("unsigned short", "int", 2, false);
            case 0x22 -> new SimpleType("unsigned long", "int", 4, false);
            case 0x74 -> new SimpleType("int", "int", 4, true);
            case 0x75 -> new SimpleType("unsigned int", "int", 4, false);
            case 0x13, 0x76 -> new SimpleType("long long", "int", 8, true);
            case 0x23, 0x77 -> new SimpleType("unsigned long long", "int", 8, false);
            case 0x14, 0x78 -> new SimpleType("__int128", "int", 16, true);
            case 0x24, 0x79 -> new SimpleType("unsigned __int128", "int", 16, false);
            case 0x40 -> new SimpleType("float", "float", 4, true);
            case 0x41 -> new SimpleType("double", "float", 8, true);
            case 0x42 -> new SimpleType("long double", "float", 10, true);
            case 0x30 -> new SimpleType("bool", "bool", 1, false);
            case 0x31 -> new SimpleType("bool16", "bool", 2, false);
            case 0x32 -> new SimpleType("bool32", "bool", 4, false);
            case 0x33 -> new SimpleType("bool64", "bool", 8, false);
            default -> VOID;
        };
    }

    /**
     * @return the size of a pointer of this index's mode (bits 8–11), or 0 when the index is not a
     *         pointer
     */
    public static int pointerSize(int index) {
        return switch ((index >> 8) & 0xf) {
            case 0 -> 0;
            case 1 -> 2;
            case 2, 3, 4 -> 4;
            case 5 -> 6;
            case 6 -> 8;
            default -> 16;
        };
    }
}
