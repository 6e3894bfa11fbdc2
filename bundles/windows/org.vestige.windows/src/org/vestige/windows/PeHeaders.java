package org.vestige.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a PE image's headers, as mapped in memory, that a dump needs: the file header's time
 * stamp, the optional header's checksum and sizes, and the section table. Every count and offset is
 * checked against the page the headers were read from.
 *
 * @param timeDateStamp the file header's TimeDateStamp
 * @param checkSum      the optional header's CheckSum
 * @param sizeOfImage   the optional header's SizeOfImage
 * @param sizeOfHeaders the optional header's SizeOfHeaders
 * @param sections      the section table, in table order
 * @since 0.1
 */
public record PeHeaders(int timeDateStamp, int checkSum, long sizeOfImage, long sizeOfHeaders, List<Section> sections) {

    /** More sections than the loader accepts means the header is not a PE header. */
    public static final int MAX_SECTIONS = 96;

    /**
     * One section as mapped: its name and its pages' range relative to the image base.
     *
     * @param virtualSize the section's VirtualSize (its mapped extent is that rounded up to a page)
     */
    public record Section(String name, long virtualAddress, long virtualSize) {

        /** @return the mapped extent: VirtualSize rounded up to whole pages */
        public long mappedSize() {
            return (virtualSize + 0xfff) & ~0xfffL;
        }
    }

    /**
     * Parses the headers at the start of {@code page} (the image's first page).
     *
     * @throws IllegalArgumentException saying what is wrong and at which offset
     */
    public static PeHeaders parse(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        if (page.length < 0x40 || b.getShort(0) != 0x5a4d) {
            throw new IllegalArgumentException("no MZ signature at offset 0");
        }
        int lfanew = b.getInt(0x3c);
        if (lfanew < 0x40 || lfanew > page.length - 24) {
            throw new IllegalArgumentException("e_lfanew 0x" + Integer.toHexString(lfanew) + " lies outside the first page");
        }
        if (b.getInt(lfanew) != 0x4550) {
            throw new IllegalArgumentException("no PE signature at e_lfanew 0x" + Integer.toHexString(lfanew));
        }
        int sections = b.getShort(lfanew + 6) & 0xffff;
        int timeDateStamp = b.getInt(lfanew + 8);
        int optionalSize = b.getShort(lfanew + 20) & 0xffff;
        int optional = lfanew + 24;
        if (sections > MAX_SECTIONS) {
            throw new IllegalArgumentException(sections + " sections at 0x" + Integer.toHexString(lfanew + 6)
                    + " (at most " + MAX_SECTIONS + ")");
        }
        int table = optional + optionalSize;
        if (optionalSize < 0x40 || table + 40L * sections > page.length) {
            throw new IllegalArgumentException("the optional header (0x" + Integer.toHexString(optionalSize)
                    + " bytes) and " + sections + " section headers run past the first page");
        }
        long sizeOfImage = b.getInt(optional + 56) & 0xffffffffL;
        long sizeOfHeaders = b.getInt(optional + 60) & 0xffffffffL;
        int checkSum = b.getInt(optional + 64);
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < sections; i++) {
            int at = table + 40 * i;
            int end = 0;
            while (end < 8 && page[at + end] != 0) {
                end++;
            }
            String name = new String(page, at, end, StandardCharsets.ISO_8859_1);
            out.add(new Section(name, b.getInt(at + 12) & 0xffffffffL, b.getInt(at + 8) & 0xffffffffL));
        }
        return new PeHeaders(timeDateStamp, checkSum, sizeOfImage, sizeOfHeaders, List.copyOf(out));
    }
}
