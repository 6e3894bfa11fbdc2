package org.vestige.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * A security identifier as the kernel stores it in a {@code _SID}: Revision (u8, always 1),
 * SubAuthorityCount (u8, at most {@value #MAX_SUB_AUTHORITIES}), IdentifierAuthority (6 bytes, big-endian)
 * and SubAuthorityCount little-endian u32 sub-authorities. Its text form is the one
 * {@code ConvertSidToStringSid} gives: {@code S-1-5-21-…}, the authority in decimal below 2^32 and in hex
 * above (Microsoft, "SID Components" and winnt.h {@code SID_MAX_SUB_AUTHORITIES}).
 *
 * @param revision       the revision (1 for every SID Windows makes)
 * @param authority      the identifier authority (5 is NT AUTHORITY, 16 the mandatory label authority)
 * @param subAuthorities the sub-authorities, in order
 * @since 0.1
 */
public record Sid(int revision, long authority, List<Long> subAuthorities) {

    /** {@code SID_MAX_SUB_AUTHORITIES} in winnt.h. */
    public static final int MAX_SUB_AUTHORITIES = 15;

    /** The bytes of a _SID before its sub-authorities. */
    public static final int HEADER_SIZE = 8;

    public Sid {
        subAuthorities = List.copyOf(subAuthorities);
        if (subAuthorities.size() > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException(subAuthorities.size() + " sub-authorities, more than "
                    + MAX_SUB_AUTHORITIES);
        }
    }

    /** @return the size of a _SID with {@code subAuthorityCount} sub-authorities */
    public static int size(int subAuthorityCount) {
        return HEADER_SIZE + 4 * subAuthorityCount;
    }

    /** @return the size of this SID in its binary form */
    public int size() {
        return size(subAuthorities.size());
    }

    /**
     * Decodes the _SID at {@code at} in {@code b}.
     *
     * @throws IllegalArgumentException saying what is wrong: a revision other than 1, a SubAuthorityCount
     *                                  above {@value #MAX_SUB_AUTHORITIES}, or too few bytes
     */
    public static Sid parse(byte[] b, int at) {
        if (b.length - at < HEADER_SIZE) {
            throw new IllegalArgumentException("only " + Math.max(0, b.length - at)
                    + " bytes, less than a _SID header");
        }
        int revision = b[at] & 0xff;
        int count = b[at + 1] & 0xff;
        if (revision != 1) {
            throw new IllegalArgumentException("Revision " + revision + ", not 1");
        }
        if (count > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException("SubAuthorityCount " + count + " exceeds " + MAX_SUB_AUTHORITIES);
        }
        if (b.length - at < size(count)) {
            throw new IllegalArgumentException("SubAuthorityCount " + count + " needs " + size(count) + " bytes, only "
                    + (b.length - at) + " held");
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = (authority << 8) | (b[at + i] & 0xff);
        }
        List<Long> subs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int o = at + HEADER_SIZE + 4 * i;
            subs.add((b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24);
        }
        return new Sid(revision, authority, subs);
    }

    /**
     * Parses the text form {@code S-1-<authority>-<sub>…}.
     *
     * @throws IllegalArgumentException when {@code text} is not a SID string
     */
    public static Sid parse(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length < 3 || !parts[0].equalsIgnoreCase("S")) {
            throw new IllegalArgumentException("not a SID string: " + text);
        }
        try {
            int revision = Integer.parseInt(parts[1]);
            long authority = parts[2].startsWith("0x") || parts[2].startsWith("0X") ? Long.parseLong(parts[2]
                    .substring(2), 16) : Long.parseLong(parts[2]);
            List<Long> subs = new ArrayList<>();
            for (int i = 3; i < parts.length; i++) {
                long v = Long.parseLong(parts[i]);
                if (v < 0 || v > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException("sub-authority " + parts[i] + " is not 32-bit: " + text);
                }
                subs.add(v);
            }
            return new Sid(revision, authority, subs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a SID string: " + text, e);
        }
    }

    /** @return the binary form, as a _SID holds it */
    public byte[] bytes() {
        byte[] b = new byte[size()];
        b[0] = (byte) revision;
        b[1] = (byte) subAuthorities.size();
        for (int i = 0; i < 6; i++) {
            b[2 + i] = (byte) (authority >>> (8 * (5 - i)));
        }
        for (int i = 0; i < subAuthorities.size(); i++) {
            long v = subAuthorities.get(i);
            for (int k = 0; k < 4; k++) {
                b[HEADER_SIZE + 4 * i + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    /** @return the last sub-authority (a domain account's relative identifier), or -1 when there is none */
    public long rid() {
        return subAuthorities.isEmpty() ? -1 : subAuthorities.get(subAuthorities.size() - 1);
    }

    /** @return the SID without its last sub-authority (a domain account's domain) */
    public Sid domain() {
        return new Sid(revision, authority, subAuthorities.subList(0, Math.max(0, subAuthorities.size() - 1)));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("S-").append(revision).append('-');
        s.append(authority >= 1L << 32 ? String.format("0x%012X", authority) : Long.toString(authority));
        for (long v : subAuthorities) {
            s.append('-').append(v);
        }
        return s.toString();
    }
}
