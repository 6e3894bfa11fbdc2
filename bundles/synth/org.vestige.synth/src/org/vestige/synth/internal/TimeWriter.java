package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.vestige.synth.TimeTruth;

/**
 * Writes the times an image holds beside its processes' and threads': the TimeDateStamp of each PE header
 * as the writers map modules ({@link #linked}), and, once everything else is placed, the system's clock in
 * {@code _KUSER_SHARED_DATA.SystemTime} a little after the latest process, thread or endpoint time
 * ({@link #writeSystemTime}). Link times are the linker's, older than the boot or, as Windows 10's reproducible
 * builds write a hash there, anywhere.
 *
 * <p>{@code _KSYSTEM_TIME} is LowPart (u32), High1Time (i32), High2Time (i32); the kernel writes High2Time,
 * LowPart, then High1Time, and a reader takes the value when both high parts agree (layout: the kernel's
 * symbols, {@code _KUSER_SHARED_DATA.SystemTime}; order: the WDK's {@code KeQuerySystemTime} description in
 * {@code wdm.h}).
 */
final class TimeWriter {

    private TimeWriter() {
    }

    /**
     * The TimeDateStamp a DLL of this name carries: one per name, as every process maps the same file, chosen
     * by the seed between 2012 and 2021 without drawing from the machine's random source.
     */
    static int dllStamp(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L ^ name.toLowerCase(java.util.Locale.ROOT).hashCode() * 0xC2B2AE3D27D4EB4FL;
        return (int) (0x50000000L + ((h ^ (h >>> 29)) & 0x0FFFFFFFL));
    }

    /** Records a PE header the caller wrote at {@code base} into {@code pid}'s space ({@link TimeTruth#KERNEL}). */
    static void linked(Machine machine, long pid, String module, long base, int timeDateStamp) {
        machine.linked.add(new TimeTruth.Linked(pid, module, base, Integer.toUnsignedLong(timeDateStamp)));
    }

    /**
     * Writes {@code _KUSER_SHARED_DATA.SystemTime} a minute to an hour after {@code latest}; call once every
     * other time is placed.
     *
     * @param latest the latest FILETIME written anywhere in the image
     * @return the truth of the times written
     */
    static TimeTruth writeSystemTime(Machine machine, long latest) {
        Random r = new Random(machine.options.seed() ^ 0x5157_5445_4D54_494DL);
        long now = latest + 10_000_000L * (60 + r.nextInt(3540)) + r.nextInt(10_000_000);
        byte[] time = new byte[12];
        Le.put(time, 0, now & 0xffffffffL, 4);
        Le.put(time, 4, now >>> 32, 4);
        Le.put(time, 8, now >>> 32, 4);
        machine.memory.write(machine.kuserFrame + machine.profile.offset("_KUSER_SHARED_DATA", "SystemTime"), time);
        return new TimeTruth(now, new ArrayList<>(List.copyOf(machine.linked)));
    }
}
