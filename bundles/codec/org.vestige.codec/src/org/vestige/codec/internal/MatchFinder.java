package org.vestige.codec.internal;

import java.util.Arrays;

/**
 * Hash chains over a sliding window: for each position, the most recent earlier positions that start
 * with the same three bytes, newest first. {@link #find} walks a bounded number of them and returns
 * the longest match (the nearest one among equals, since shorter offsets encode no worse).
 */
final class MatchFinder {

    static final int MIN_MATCH = 3;

    private final int hashBits;
    private final int windowMask;
    private final int maxChain;
    private final int[] head;
    private final int[] prev;

    /**
     * @param window   largest offset that will be asked for, rounded up to a power of two internally
     * @param hashBits size of the hash table (log2)
     * @param maxChain candidates examined per search: more is slower and compresses better
     */
    MatchFinder(int window, int hashBits, int maxChain) {
        int size = Integer.highestOneBit(Math.max(window, 2) - 1) << 1;
        this.hashBits = hashBits;
        this.windowMask = size - 1;
        this.maxChain = maxChain;
        this.head = new int[1 << hashBits];
        this.prev = new int[size];
        Arrays.fill(head, -1);
    }

    /** Forgets all positions (for formats whose chunks are compressed independently). */
    void reset() {
        Arrays.fill(head, -1);
    }

    private int hash(byte[] b, int pos) {
        int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16;
        return (v * 0x9E3779B1) >>> (32 - hashBits);
    }

    /** Records {@code pos} (which must have three bytes before {@code end}). */
    void insert(byte[] b, int pos) {
        int h = hash(b, pos);
        prev[pos & windowMask] = head[h];
        head[h] = pos;
    }

    /** Records every position of {@code [from, to)} that has three bytes before {@code end}. */
    void insertRange(byte[] b, int from, int to, int end) {
        int last = Math.min(to, end - MIN_MATCH + 1);
        for (int p = from; p < last; p++) {
            insert(b, p);
        }
    }

    /**
     * Finds the longest match for {@code pos} among recorded positions, without recording {@code pos}.
     *
     * @param minPos    earliest position a match may start at
     * @param maxOffset largest allowed distance
     * @param maxLength longest allowed match (at most {@code end - pos})
     * @return {@code length << 32 | offset}, or 0 when there is no match of at least 3 bytes
     */
    long find(byte[] b, int pos, int minPos, int maxOffset, int maxLength) {
        if (maxLength < MIN_MATCH) {
            return 0;
        }
        int bestLength = MIN_MATCH - 1;
        int bestOffset = 0;
        int candidate = head[hash(b, pos)];
        int limit = Math.max(minPos, pos - maxOffset);
        for (int chain = maxChain; chain > 0 && candidate >= limit && candidate < pos; chain--) {
            if (b[candidate + bestLength] == b[pos + bestLength]) {
                int n = 0;
                while (n < maxLength && b[candidate + n] == b[pos + n]) {
                    n++;
                }
                if (n > bestLength) {
                    bestLength = n;
                    bestOffset = pos - candidate;
                    if (n == maxLength) {
                        break;
                    }
                }
            }
            int next = prev[candidate & windowMask];
            if (next >= candidate) {
                break; // the ring slot was reused by a newer position: the chain is exhausted
            }
            candidate = next;
        }
        return bestOffset == 0 ? 0 : (long) bestLength << 32 | bestOffset;
    }
}
