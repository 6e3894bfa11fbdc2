package org.vestige.windows;

/**
 * Internet addresses as text: IPv4 dotted quads and IPv6 in the canonical form of RFC 5952 (lower case, no
 * leading zeros, the longest run of two or more zero groups — the first of equal runs — shortened to "::").
 *
 * @since 0.1
 */
public final class InetText {

    private InetText() {
    }

    /** @return the address of 4 (IPv4) or 16 (IPv6) bytes in network order as text */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an address of " + a.length + " bytes");
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
