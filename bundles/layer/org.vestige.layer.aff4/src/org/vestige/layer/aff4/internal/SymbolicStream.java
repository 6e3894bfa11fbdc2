package org.vestige.layer.aff4.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * The AFF4 symbolic streams: endless streams of one byte ({@code aff4:Zero}, {@code aff4:FFDevice},
 * {@code aff4:SymbolicStreamXX} for byte 0xXX) or of a text pattern ({@code aff4:UnknownData} repeats "UNKNOWN",
 * {@code aff4:UnreadableData} repeats "UNREADABLEDATA").
 *
 * <p>A pattern is laid out in 1 MiB tiles: the byte at stream offset {@code o} is
 * {@code pattern[(o mod 2^20) mod pattern.length]}, so the pattern restarts at every 1 MiB boundary of the stream
 * (the reference images' hashes depend on this; 2^20 is not a multiple of 7 or 14). Map entries address these
 * streams at the target offset they record, and map gaps at the map offset itself.
 *
 * <p>Zero, FF and SymbolicStreamXX regions are content the imager recorded compactly (the source held those bytes);
 * UnknownData and UnreadableData regions are not content and read as {@link PageProvenance.Missing}.
 */
public final class SymbolicStream implements Layer {

    /** Pattern tiles restart at every 1 MiB of stream offset. */
    public static final int TILE = 1 << 20;

    private final String urn;
    private final byte[] pattern;
    private final boolean content;
    private final String missingReason;
    private volatile byte[] tile;

    private SymbolicStream(String urn, byte[] pattern, boolean content, String missingReason) {
        this.urn = urn;
        this.pattern = pattern;
        this.content = content;
        this.missingReason = missingReason;
    }

    /** @return the symbolic stream named by {@code urn}, or empty when the URN names none */
    public static Optional<SymbolicStream> forUrn(String urn) {
        switch (urn) {
            case Aff4Lexicon.ZERO, Aff4Lexicon.LEGACY_ZERO -> {
                return Optional.of(new SymbolicStream(urn, new byte[] {0}, true, null));
            }
            case Aff4Lexicon.FF_DEVICE, Aff4Lexicon.LEGACY_FF -> {
                return Optional.of(new SymbolicStream(urn, new byte[] {(byte) 0xFF}, true, null));
            }
            case Aff4Lexicon.UNKNOWN_DATA, Aff4Lexicon.LEGACY_UNKNOWN_DATA -> {
                return Optional.of(new SymbolicStream(urn, "UNKNOWN".getBytes(StandardCharsets.US_ASCII), false,
                        "no data recorded for this region (aff4:UnknownData)"));
            }
            case Aff4Lexicon.UNREADABLE_DATA, Aff4Lexicon.LEGACY_UNREADABLE_DATA -> {
                return Optional.of(new SymbolicStream(urn, "UNREADABLEDATA".getBytes(StandardCharsets.US_ASCII), false,
                        "unreadable when acquired (aff4:UnreadableData)"));
            }
            default -> {
                for (String prefix : new String[] {Aff4Lexicon.SYMBOLIC_PREFIX, Aff4Lexicon.LEGACY_SYMBOLIC_PREFIX}) {
                    if (urn.startsWith(prefix) && urn.length() == prefix.length() + 2) {
                        try {
                            int b = Integer.parseInt(urn.substring(prefix.length()), 16);
                            return Optional.of(new SymbolicStream(urn, new byte[] {(byte) b}, true, null));
                        } catch (NumberFormatException e) {
                            return Optional.empty();
                        }
                    }
                }
                return Optional.empty();
            }
        }
    }

    public String urn() {
        return urn;
    }

    /** @return true when the stream stands for recorded content (Zero, FF, SymbolicStreamXX) */
    public boolean isContent() {
        return content;
    }

    /** @return why bytes of this stream are not content, or null for content streams */
    public String missingReason() {
        return missingReason;
    }

    /** Fills {@code buffer[offset..offset+length)} with the stream's bytes at {@code streamOffset}. */
    public void fill(long streamOffset, byte[] buffer, int offset, int length) {
        if (pattern.length == 1) {
            Arrays.fill(buffer, offset, offset + length, pattern[0]);
            return;
        }
        byte[] t = tile();
        int done = 0;
        while (done < length) {
            int pos = (int) ((streamOffset + done) & (TILE - 1));
            int n = Math.min(length - done, TILE - pos);
            System.arraycopy(t, pos, buffer, offset + done, n);
            done += n;
        }
    }

    private byte[] tile() {
        byte[] t = tile;
        if (t == null) {
            t = new byte[TILE];
            for (int i = 0; i < TILE; i++) {
                t[i] = pattern[i % pattern.length];
            }
            tile = t;
        }
        return t;
    }

    /** @return the provenance of bytes of this stream at {@code streamOffset} */
    public PageProvenance provenanceAt(long streamOffset) {
        return content ? new PageProvenance.Evidence(Aff4Lexicon.shortName(urn), streamOffset)
                : new PageProvenance.Missing(new MissingCause.NotCaptured(), missingReason);
    }

    @Override
    public String name() {
        return Aff4Lexicon.shortName(urn);
    }

    @Override
    public long size() {
        return Long.MAX_VALUE;
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        if (length <= 0) {
            return 0;
        }
        fill(address, buffer, offset, length);
        sink.accept(address, length, provenanceAt(address));
        return content ? length : 0;
    }

    @Override
    public PageProvenance provenance(long address) {
        return provenanceAt(address);
    }
}
