package org.vestige.layer.crashdump;

/**
 * A module's {@code VS_FIXEDFILEINFO} as a minidump records it.
 *
 * @since 0.1
 */
public record FixedFileInfo(int fileVersionMs, int fileVersionLs, int productVersionMs, int productVersionLs,
        int fileFlagsMask, int fileFlags, int fileOs, int fileType, int fileSubtype) {

    /** {@code VS_FFI_SIGNATURE}, present in a filled-in record. */
    public static final int SIGNATURE = 0xfeef04bd;

    /** @return e.g. {@code "10.0.17134.1"} */
    public String fileVersion() {
        return version(fileVersionMs, fileVersionLs);
    }

    public String productVersion() {
        return version(productVersionMs, productVersionLs);
    }

    private static String version(int ms, int ls) {
        return "%d.%d.%d.%d".formatted(ms >>> 16, ms & 0xffff, ls >>> 16, ls & 0xffff);
    }
}
