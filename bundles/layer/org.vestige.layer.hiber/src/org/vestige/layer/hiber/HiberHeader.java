package org.vestige.layer.hiber;

import java.nio.charset.StandardCharsets;

/**
 * What the header page of a Windows 8+ hibernation file says: its signature, the layout its size selects,
 * and where the two restore sets are.
 *
 * @param signature       the four signature bytes as text ({@code HIBR}, {@code WAKE} or {@code RSTR})
 * @param layout          the row of {@code data/hiber-layouts.txt} the header's LengthSelf selects
 * @param pageSize        PageSize (0x1000 on x64)
 * @param systemTime      SystemTime, a FILETIME (100 ns since 1601)
 * @param loaderPages     NumPagesForLoader: pages of the boot restore set
 * @param firstBootPage   FirstBootRestorePage: file page where the boot restore set begins
 * @param firstKernelPage FirstKernelRestorePage: file page where the kernel restore set begins
 * @param kernelPages     KernelPagesProcessed: pages of the kernel restore set
 * @param highestPage     HighestPhysicalPage: the machine's highest physical page number
 * @since 0.1
 */
public record HiberHeader(String signature, HiberLayout layout, long pageSize, long systemTime, long loaderPages,
        long firstBootPage, long firstKernelPage, long kernelPages, long highestPage) {

    /** 'HIBR': written by a hibernation or a fast startup and not resumed from ([LC] of the layout table). */
    public static final int HIBR = 0x52424948;
    /** 'WAKE': Windows began resuming from the file ([LC]); its image may still be whole. */
    public static final int WAKE = 0x454b4157;
    /** 'RSTR': the machine resumed from the file; Windows 8 and later clear its memory image then. */
    public static final int RSTR = 0x52545352;

    /** @return what the signature means, in an analyst's words */
    public String signatureMeaning() {
        return meaning(signature);
    }

    static String meaning(String signature) {
        return switch (signature) {
            case "HIBR" -> "HIBR: written by a hibernation or a fast startup, not resumed from";
            case "WAKE" -> "WAKE: Windows began resuming from it; the memory image may still be whole";
            case "RSTR" -> "RSTR: the machine resumed from it, and Windows 8 and later clear the memory image then";
            default -> signature;
        };
    }

    /** @return the four bytes of a little-endian signature value as text */
    static String text(int value) {
        byte[] b = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
        for (byte c : b) {
            if (c < 0x20 || c > 0x7e) {
                return "0x" + Integer.toHexString(value);
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }
}
