package org.vestige.layer.aff4;

import java.util.List;
import java.util.Optional;

/**
 * The chunk compressions of AFF4 image streams, with every URI that writers have used for each.
 *
 * <p>A chunk whose stored length equals the stream's chunk size is stored uncompressed whatever the codec (AFF4
 * Standard v1.0, 3.2: writers store a chunk raw when compressing it does not make it smaller by more than a few
 * bytes). The one exception is the snappy URI of WinPmem 2.x / Rekall ({@code https://github.com/google/snappy}),
 * whose chunks are always compressed.
 *
 * @since 0.1
 */
public enum Aff4Codec {

    /** Snappy (raw block format). */
    SNAPPY("http://code.google.com/p/snappy/", "https://code.google.com/p/snappy/", "https://github.com/google/snappy",
            "http://github.com/google/snappy"),
    /** LZ4 (raw block format, as LZ4_compress_default writes). */
    LZ4("https://code.google.com/p/lz4/", "http://code.google.com/p/lz4/", "https://github.com/lz4/lz4"),
    /** Raw deflate (RFC 1951, no header). */
    DEFLATE("https://tools.ietf.org/html/rfc1951", "http://tools.ietf.org/html/rfc1951"),
    /** zlib (RFC 1950: deflate with a 2-byte header and an Adler-32 trailer). */
    ZLIB("https://www.ietf.org/rfc/rfc1950.txt", "https://tools.ietf.org/html/rfc1950", "http://www.ietf.org/rfc/rfc1950.txt",
            "http://tools.ietf.org/html/rfc1950"),
    /** No compression. */
    STORED("http://aff4.org/Schema#NullCompressor", "http://aff4.org/Schema#compression/stored",
            "http://afflib.org/2009/aff4#nullCompressor");

    private final List<String> uris;

    Aff4Codec(String... uris) {
        this.uris = List.of(uris);
    }

    /** @return the URI this implementation writes (the AFF4 Standard's) */
    public String uri() {
        return uris.get(0);
    }

    /** @return every URI that names this codec */
    public List<String> uris() {
        return uris;
    }

    /** @return the codec named by {@code uri}, or empty when the URI is not one this reader knows */
    public static Optional<Aff4Codec> fromUri(String uri) {
        for (Aff4Codec c : values()) {
            if (c.uris.contains(uri)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * @return true when chunks of this codec URI are always compressed, even when their stored length equals the
     *         chunk size (WinPmem 2.x / Rekall snappy)
     */
    public static boolean alwaysCompressed(String uri) {
        return uri.endsWith("github.com/google/snappy");
    }
}
