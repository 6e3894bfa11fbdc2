package org.vestige.codec.internal;

import java.util.Arrays;

/**
 * Code lengths of a Huffman code limited to a maximum length, built from symbol frequencies.
 * Builds an ordinary Huffman code (two-queue method over the sorted leaves); while it is too deep,
 * halves the frequencies (keeping every used symbol at least 1) and builds again, which flattens the
 * tree. The result is always a complete code, as the Xpress decoder requires.
 */
final class HuffmanLengths {

    private HuffmanLengths() {
    }

    /**
     * @param freq    frequency per symbol; symbols with 0 get no code
     * @param maxBits longest allowed code
     * @return the code length per symbol (0 = unused)
     */
    static int[] build(int[] freq, int maxBits) {
        int n = freq.length;
        int[] lengths = new int[n];
        int used = 0;
        for (int f : freq) {
            if (f > 0) {
                used++;
            }
        }
        if (used < 2) {
            // A complete code needs two symbols; give the lone one (or symbol 0) a partner.
            int first = -1;
            for (int s = 0; s < n; s++) {
                if (freq[s] > 0) {
                    first = s;
                }
            }
            int a = first < 0 ? 0 : first;
            int b = a == 0 ? 1 : 0;
            lengths[a] = 1;
            lengths[b] = 1;
            return lengths;
        }
        long[] work = new long[n];
        for (int s = 0; s < n; s++) {
            work[s] = freq[s];
        }
        while (true) {
            if (huffman(work, lengths) <= maxBits) {
                return lengths;
            }
            for (int s = 0; s < n; s++) {
                if (work[s] > 0) {
                    work[s] = (work[s] + 1) >>> 1;
                }
            }
        }
    }

    /** Fills {@code lengths} with an unrestricted Huffman code for the non-zero frequencies; returns the depth. */
    private static int huffman(long[] freq, int[] lengths) {
        int n = freq.length;
        Arrays.fill(lengths, 0);
        // Leaves sorted by (frequency, symbol): pack both into one long for a primitive sort.
        long[] leaves = new long[n];
        int m = 0;
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                leaves[m++] = freq[s] << 16 | s;
            }
        }
        Arrays.sort(leaves, 0, m);
        int nodes = 2 * m - 1;
        long[] weight = new long[nodes];
        int[] parent = new int[nodes];
        for (int i = 0; i < m; i++) {
            weight[i] = leaves[i] >>> 16;
        }
        int leaf = 0;
        int inner = m; // next internal node to combine
        for (int next = m; next < nodes; next++) {
            int a = (leaf < m && (inner >= next || weight[leaf] <= weight[inner])) ? leaf++ : inner++;
            int b = (leaf < m && (inner >= next || weight[leaf] <= weight[inner])) ? leaf++ : inner++;
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
        }
        int[] depth = new int[nodes];
        int max = 0;
        for (int i = nodes - 2; i >= 0; i--) {
            depth[i] = depth[parent[i]] + 1;
            if (i < m) {
                lengths[(int) (leaves[i] & 0xFFFF)] = depth[i];
                max = Math.max(max, depth[i]);
            }
        }
        return max;
    }

    /** Canonical codes for the lengths: assigned in order of length, then symbol, as MS-XCA decodes them. */
    static int[] canonicalCodes(int[] lengths, int maxBits) {
        int[] codes = new int[lengths.length];
        int code = 0;
        for (int len = 1; len <= maxBits; len++) {
            for (int s = 0; s < lengths.length; s++) {
                if (lengths[s] == len) {
                    codes[s] = code++;
                }
            }
            code <<= 1;
        }
        return codes;
    }
}
