package org.vestige.codec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vestige.codec.internal.Lz4BlockDecoder;
import org.vestige.codec.internal.LibraryBlockEncoder;
import org.vestige.codec.internal.Lznt1Decoder;
import org.vestige.codec.internal.Lznt1Encoder;
import org.vestige.codec.internal.SnappyBlockDecoder;
import org.vestige.codec.internal.XpressDecoder;
import org.vestige.codec.internal.XpressEncoder;
import org.vestige.codec.internal.XpressHuffmanDecoder;
import org.vestige.codec.internal.XpressHuffmanEncoder;

/**
 * The compression formats Windows memory evidence uses, looked up by name.
 *
 * <pre>
 * byte[] page = Codec.byName("xpress").decompressor().decompressPage(data, off, len);
 * </pre>
 *
 * @since 0.1
 */
public enum Codec {

    /** Plain LZ77 "Xpress" (MS-XCA 2.3/2.4): the Windows 10 and 11 memory-compression store before 24H2. */
    XPRESS("xpress", 3, "Xpress plain LZ77 (MS-XCA), Windows 10 memory compression", "lz77", "plain-lz77",
            "lzxpress"),

    /** LZ77+Huffman (MS-XCA 2.1/2.2): Windows 8+ hibernation files, 64 KiB blocks with a Huffman table each. */
    XPRESS_HUFFMAN("xpress-huffman", 4, "Xpress LZ77+Huffman (MS-XCA), hibernation files", "lz77-huffman",
            "xpress-huff", "lzxpress-huffman"),

    /** LZNT1 (MS-XCA 2.5): NTFS compression and older hibernation files, 4 KiB chunks. */
    LZNT1("lznt1", 2, "LZNT1 (MS-XCA), NTFS compression"),

    /** Raw LZ4 block (no frame): the Windows 11 24H2 memory-compression store. */
    LZ4("lz4", -1, "raw LZ4 block, Windows 11 24H2 memory compression", "lz4-block"),

    /** Raw Snappy block (varint length prefix, no framing). */
    SNAPPY("snappy", -1, "raw Snappy block", "snappy-block");

    private final String id;
    private final int windowsFormat;
    private final String description;
    private final String[] aliases;

    Codec(String id, int windowsFormat, String description, String... aliases) {
        this.id = id;
        this.windowsFormat = windowsFormat;
        this.description = description;
        this.aliases = aliases;
    }

    /** @return the stable lower-case name, e.g. {@code "xpress-huffman"} */
    public String id() {
        return id;
    }

    /** @return a one-line description for listings */
    public String description() {
        return description;
    }

    /** @return the shared, thread-safe decoder of this format */
    public Decompressor decompressor() {
        return switch (this) {
            case XPRESS -> XpressDecoder.INSTANCE;
            case XPRESS_HUFFMAN -> XpressHuffmanDecoder.INSTANCE;
            case LZNT1 -> Lznt1Decoder.INSTANCE;
            case LZ4 -> Lz4BlockDecoder.INSTANCE;
            case SNAPPY -> SnappyBlockDecoder.INSTANCE;
        };
    }

    /** @return the shared, thread-safe encoder of this format */
    public Compressor compressor() {
        return switch (this) {
            case XPRESS -> XpressEncoder.INSTANCE;
            case XPRESS_HUFFMAN -> XpressHuffmanEncoder.INSTANCE;
            case LZNT1 -> Lznt1Encoder.INSTANCE;
            case LZ4 -> LibraryBlockEncoder.LZ4;
            case SNAPPY -> LibraryBlockEncoder.SNAPPY;
        };
    }

    /**
     * Finds a codec by its {@link #id()} or a common alias ({@code lz77}, {@code lzxpress},
     * {@code xpress-huff}, ...), ignoring case and treating {@code _} as {@code -}.
     */
    public static Optional<Codec> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Codec c : values()) {
            if (c.id.equals(key) || Arrays.asList(c.aliases).contains(key)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * As {@link #find(String)}, failing with the list of known names.
     *
     * @throws IllegalArgumentException when no codec has that name
     */
    public static Codec byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown codec '" + name + "'; known: "
                + Arrays.stream(values()).map(Codec::id).collect(Collectors.joining(", "))));
    }

    /**
     * Maps a Windows {@code COMPRESSION_FORMAT_*} number (as passed to {@code RtlDecompressBuffer} and
     * stored in the memory-compression store's {@code CompressionAlgorithm}): 2 LZNT1, 3 XPRESS,
     * 4 XPRESS_HUFF.
     */
    public static Optional<Codec> byWindowsFormat(int format) {
        for (Codec c : values()) {
            if (c.windowsFormat == format && format > 0) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
