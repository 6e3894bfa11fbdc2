package org.vestige.registry;

import java.time.Instant;

/**
 * Windows FILETIME (100-nanosecond intervals since 1601-01-01 UTC) conversions.
 *
 * @since 0.1
 */
public final class Filetime {

    /** FILETIME of the Unix epoch. */
    public static final long UNIX_EPOCH = 116_444_736_000_000_000L;

    private Filetime() {
    }

    /** @return the instant of {@code filetime} (a FILETIME of 0 gives 1601-01-01) */
    public static Instant toInstant(long filetime) {
        long sinceUnix = filetime - UNIX_EPOCH;
        return Instant.ofEpochSecond(Math.floorDiv(sinceUnix, 10_000_000L), Math.floorMod(sinceUnix, 10_000_000L) * 100);
    }

    /** @return the FILETIME of {@code instant}, truncated to 100 ns */
    public static long of(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 10_000_000L), instant.getNano() / 100)
                + UNIX_EPOCH;
    }
}
