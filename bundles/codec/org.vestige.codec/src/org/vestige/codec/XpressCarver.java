package org.vestige.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.vestige.codec.internal.XpressDecoder;

/**
 * Finds compressed memory pages in a region of the Windows 10 memory-compression store without its
 * metadata: plain LZ77 ({@link Codec#XPRESS}) streams that start on a 16-byte boundary and decode to
 * exactly one 4096-byte page.
 *
 * <p>The store appends each compressed page at the next 16-byte boundary after the previous one, and
 * the bytes between the end of a stream and that boundary are left over from earlier contents, not
 * zeros. A stream's length is not stored with it; it is what the decoder consumed to produce the
 * 4096th byte, plus the 4-byte all-ones flag word the compressor appends when that last item used
 * the last flag of its word (so the decoder's next flag read still finds the end marker). That is
 * the size Windows records for the page.
 *
 * <p>A candidate is accepted only when every match stays inside the page, the stream produces
 * exactly 4096 bytes, and it ends the way the MS-XCA compressor ends a stream: all flags left in the
 * last flag word are ones, or the next word is {@code 0xFFFFFFFF}. Scanning then resumes at the
 * first boundary after the stream; where no stream is found it moves 16 bytes on. Random bytes and
 * zero fill fail these checks (4096 zero literals, for example, are followed by a zero flag word,
 * not an end marker).
 *
 * <p>Instances are immutable and safe for concurrent use.
 *
 * @since 0.1
 */
public final class XpressCarver {

    /** Alignment of compressed pages in the store. */
    public static final int ALIGNMENT = 16;

    private static final int PAGE = Decompressor.PAGE_SIZE;

    /**
     * One page found in a region.
     *
     * @param offset           position of the stream, relative to the start of the scanned range
     *                         plus the base given to {@link #carve(byte[], int, int, long, Consumer)}
     * @param compressedLength bytes the stream occupies (without the padding to the next boundary)
     * @param page             the decoded 4096 bytes
     * @since 0.1
     */
    public record CarvedPage(long offset, int compressedLength, byte[] page) {
        public CarvedPage {
            Objects.requireNonNull(page, "page");
        }
    }

    /** Finds all pages in {@code region[off, off + len)}; offsets are relative to {@code off}. */
    public List<CarvedPage> carve(byte[] region, int off, int len) {
        List<CarvedPage> pages = new ArrayList<>();
        carve(region, off, len, 0, pages::add);
        return pages;
    }

    /**
     * Streams the pages found in {@code region[off, off + len)} to {@code sink} in order, each with
     * offset {@code base + (position - off)}. Alignment is counted from {@code off}, which should
     * therefore lie on a 16-byte boundary of the store region.
     */
    public void carve(byte[] region, int off, int len, long base, Consumer<? super CarvedPage> sink) {
        Objects.checkFromIndexSize(off, len, region.length);
        Objects.requireNonNull(sink, "sink");
        int end = off + len;
        byte[] page = new byte[PAGE];
        int pos = off;
        while (end - pos >= 4) {
            int length = streamLength(region, pos, end - pos, page);
            if (length > 0) {
                sink.accept(new CarvedPage(base + (pos - off), length, page));
                page = new byte[PAGE];
                pos += (length + ALIGNMENT - 1) & -ALIGNMENT;
            } else {
                pos += ALIGNMENT;
            }
        }
    }

    /**
     * Tests whether a page stream starts at {@code in[off]} and returns its length, decoding it into
     * {@code page} (4096 bytes or more).
     *
     * @param len the bytes available from {@code off} (the stream may be shorter)
     * @return the stream's compressed length, or -1 when no well-formed page stream starts there
     */
    public static int streamLength(byte[] in, int off, int len, byte[] page) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (page.length < PAGE) {
            throw new IllegalArgumentException("page buffer of " + page.length + " bytes is smaller than " + PAGE);
        }
        int[] state = new int[2];
        long result;
        try {
            result = XpressDecoder.decode(in, off, len, page, 0, PAGE, state);
        } catch (CodecException e) {
            return -1;
        }
        if ((int) result != PAGE) {
            return -1; // ended early: not one whole page
        }
        int consumed = (int) (result >>> 32);
        int flags = state[XpressDecoder.STATE_FLAGS];
        int left = state[XpressDecoder.STATE_FLAG_COUNT];
        if (left > 0) {
            // The unused flags must all be ones: the compressor pads with ones after the last item.
            int mask = left == 32 ? -1 : -1 << (32 - left);
            return (flags & mask) == mask ? consumed : -1;
        }
        // The last item used the last flag: the end marker is a whole word of ones after it.
        if (len - consumed >= 4 && allOnes(in, off + consumed)) {
            return consumed + 4;
        }
        return -1;
    }

    private static boolean allOnes(byte[] in, int at) {
        return (in[at] & in[at + 1] & in[at + 2] & in[at + 3]) == (byte) 0xFF;
    }
}
