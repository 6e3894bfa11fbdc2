package org.vestige.layer.aff4;

/**
 * How an {@link Aff4Resolver} reads: the decoded-chunk cache and the read-ahead decoding.
 *
 * @param chunkCacheBytes bytes of decoded chunks kept (least recently used go first); 0 disables the cache
 * @param decoderThreads  threads that decode chunks ahead of sequential readers (readers also decode the chunks
 *                        nobody has started); 0 decodes only on demand
 * @param readAheadChunks chunks decoded ahead of a sequential reader
 * @since 0.1
 */
public record Aff4Options(long chunkCacheBytes, int decoderThreads, int readAheadChunks) {

    public Aff4Options {
        if (chunkCacheBytes < 0 || decoderThreads < 0 || readAheadChunks < 0) {
            throw new IllegalArgumentException("options must not be negative");
        }
    }

    /**
     * 256 MiB of chunks; one decoder thread per core besides the reading thread, which decodes too (so a sequential
     * reader keeps every core busy); 32 chunks (1 MiB of 32 KiB chunks) ahead.
     */
    public static Aff4Options defaults() {
        return new Aff4Options(256L << 20, Math.max(1, Runtime.getRuntime().availableProcessors() - 1), 32);
    }

    public Aff4Options withChunkCacheBytes(long bytes) {
        return new Aff4Options(bytes, decoderThreads, readAheadChunks);
    }

    public Aff4Options withDecoderThreads(int threads) {
        return new Aff4Options(chunkCacheBytes, threads, readAheadChunks);
    }

    public Aff4Options withReadAheadChunks(int chunks) {
        return new Aff4Options(chunkCacheBytes, decoderThreads, chunks);
    }
}
