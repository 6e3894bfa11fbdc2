package org.vestige.windows;

import java.time.Instant;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * The system's clock as the memory was read: {@code _KUSER_SHARED_DATA.SystemTime} in the page the kernel
 * maps at {@code 0xFFFFF78000000000} on x64 and updates on every clock tick.
 *
 * <p>{@code SystemTime} is a {@code _KSYSTEM_TIME}: LowPart (u32), High1Time (i32), High2Time (i32) of a
 * FILETIME. The kernel writes High2Time, then LowPart, then High1Time, so a reader that sees both high parts
 * equal holds a whole value (layout: the kernel's symbols; order: the WDK's {@code wdm.h},
 * {@code KeQuerySystemTime}). An image taken while the kernel was midway through an update says so.
 *
 * @since 0.1
 */
public final class SystemClock {

    /** Where the kernel maps {@code _KUSER_SHARED_DATA} on x64 (WDK {@code ntddk.h}, {@code KI_USER_SHARED_DATA}). */
    public static final long KUSER_SHARED_DATA = 0xFFFFF78000000000L;

    private SystemClock() {
    }

    /** @return the address {@code SystemTime} is read from, per the profile */
    public static long address(Profile profile) {
        return KUSER_SHARED_DATA + FieldPath.require(profile, "_KUSER_SHARED_DATA", "SystemTime").offset();
    }

    /**
     * Reads the system time through the kernel's address space.
     *
     * @return the time, or why it could not be read (the page missing, a torn update, a value that is no time)
     */
    public static Readout<Instant> read(Layer kernel, Profile profile) {
        long at = address(profile);
        return new MemoryReader(kernel).bytes(at, 12, "_KUSER_SHARED_DATA.SystemTime").flatMap(b -> {
            long high1 = Bytes.u32(b, 4);
            long high2 = Bytes.u32(b, 8);
            if (high1 != high2) {
                return Readout.missing("_KUSER_SHARED_DATA.SystemTime at " + MemoryReader.hex(at)
                        + ": High1Time 0x" + Long.toHexString(high1) + " and High2Time 0x" + Long.toHexString(high2)
                        + " differ: the image was taken while the clock was being updated");
            }
            long fileTime = high1 << 32 | Bytes.u32(b, 0);
            Instant t = ProcessWalker.instant(fileTime);
            return t == null ? Readout.missing("_KUSER_SHARED_DATA.SystemTime at " + MemoryReader.hex(at)
                    + " is zero") : Readout.of(t);
        });
    }
}
