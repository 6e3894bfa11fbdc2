package org.vestige.layer.aff4.internal;

import java.io.IOException;
import java.util.Arrays;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;

/**
 * A stream stored as one zip member named by its URN, as AFF4-L stores small logical files: a stored member is read
 * in place, a deflated one is inflated once (up to {@value #MAX_INFLATED} bytes) and kept.
 */
public final class MemberStream implements Layer {

    /** The most a deflated member may inflate to; larger ones are read as unreadable with the reason. */
    public static final long MAX_INFLATED = 256L << 20;

    private final Segment segment;
    private byte[] inflated;
    private String failure;

    public MemberStream(Segment segment) {
        this.segment = segment;
    }

    @Override
    public String name() {
        return Aff4Lexicon.shortName(segment.urn());
    }

    @Override
    public long size() {
        return segment.member().size();
    }

    @Override
    public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
        int n = (int) Math.max(0, Math.min(length, size() - Math.max(0, address)));
        if (address < 0 || n <= 0) {
            Arrays.fill(buffer, offset, offset + length, (byte) 0);
            sink.accept(address, length, new PageProvenance.Missing(new MissingCause.OutsideImage(), String.format(
                    "offset 0x%x is beyond the end of %s (%d bytes)", address, name(), size())));
            return 0;
        }
        String error = copy(address, buffer, offset, n);
        if (error != null) {
            Arrays.fill(buffer, offset, offset + length, (byte) 0);
            sink.accept(address, length, new PageProvenance.Missing(new MissingCause.Unreadable(), error));
            return 0;
        }
        sink.accept(address, n, new PageProvenance.Evidence(segment.describe(), address));
        if (n < length) {
            Arrays.fill(buffer, offset + n, offset + length, (byte) 0);
            sink.accept(address + n, length - n, new PageProvenance.Missing(new MissingCause.OutsideImage(),
                    "beyond the end of " + name()));
        }
        return n;
    }

    /** @return null when the bytes were copied, else why not */
    private String copy(long address, byte[] buffer, int offset, int n) {
        try {
            if (segment.member().isStored()) {
                segment.container().readFully(segment.member().dataOffset() + address, buffer, offset, n);
                return null;
            }
            byte[] all = inflated();
            if (all == null) {
                return failure;
            }
            System.arraycopy(all, (int) address, buffer, offset, n);
            return null;
        } catch (IOException e) {
            return segment.describe() + " cannot be read: " + e.getMessage();
        }
    }

    private synchronized byte[] inflated() {
        if (inflated == null && failure == null) {
            try {
                inflated = segment.readAll(MAX_INFLATED);
            } catch (IOException e) {
                failure = segment.describe() + " cannot be read: " + e.getMessage();
            }
        }
        return inflated;
    }
}
