package org.vestige.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * One service as the Service Control Manager ({@code services.exe}) holds it in memory.
 *
 * @param address     virtual address of the {@code _SERVICE_RECORD} in services.exe
 * @param order       its position in the service database (Order, from 1)
 * @param name        ServiceName, or why it cannot be read
 * @param displayName DisplayName, or why it cannot be read
 * @param type        Type: the SERVICE_* type bits of winsvc.h
 * @param start       Start: 0 boot, 1 system, 2 auto, 3 demand, 4 disabled
 * @param state       State: 1 stopped to 7 paused
 * @param binaryPath  the command line of the process a Win32 service runs in, or the name of a loaded
 *                    driver; missing with the reason when the service is not running or it cannot be read
 * @param pid         the id of the process a Win32 service runs in, or why there is none
 * @since 0.1
 */
public record ServiceRecord(long address, long order, Readout<String> name, Readout<String> displayName, long type,
        long start, long state, Readout<String> binaryPath, Readout<Long> pid) {

    private static final String[] STARTS = {"BOOT_START", "SYSTEM_START", "AUTO_START", "DEMAND_START", "DISABLED"};
    private static final String[] STATES = {"STOPPED", "START_PENDING", "STOP_PENDING", "RUNNING",
        "CONTINUE_PENDING", "PAUSE_PENDING", "PAUSED"};
    /** winsvc.h / winnt.h service type bits and their names. */
    private static final long[] TYPE_BITS = {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100};
    private static final String[] TYPE_NAMES = {"KERNEL_DRIVER", "FILE_SYSTEM_DRIVER", "ADAPTER",
        "RECOGNIZER_DRIVER", "WIN32_OWN_PROCESS", "WIN32_SHARE_PROCESS", "USER_SERVICE", "USERSERVICE_INSTANCE",
        "INTERACTIVE_PROCESS"};

    /** @return whether the type says a Win32 service (own or shared process) rather than a driver */
    public static boolean win32(long type) {
        return (type & 0x30) != 0;
    }

    /** @return the names of the type's bits joined by "|", e.g. "WIN32_SHARE_PROCESS", or its hex value */
    public static String typeName(long type) {
        List<String> names = new ArrayList<>();
        long rest = type;
        for (int i = 0; i < TYPE_BITS.length; i++) {
            if ((type & TYPE_BITS[i]) != 0) {
                names.add(TYPE_NAMES[i]);
                rest &= ~TYPE_BITS[i];
            }
        }
        if (rest != 0 || names.isEmpty()) {
            names.add("0x" + Long.toHexString(rest));
        }
        return String.join("|", names);
    }

    /** @return the start type's name, e.g. "AUTO_START", or its number */
    public static String startName(long start) {
        return start >= 0 && start < STARTS.length ? STARTS[(int) start] : String.valueOf(start);
    }

    /** @return the state's name, e.g. "RUNNING", or its number */
    public static String stateName(long state) {
        return state >= 1 && state <= STATES.length ? STATES[(int) state - 1] : String.valueOf(state);
    }

    /** @return whether the numbers are those of a service record: an order, a known start type and state */
    static boolean plausible(long order, long start, long type, long state) {
        return order > 0 && order < 0x10000 && start >= 0 && start < STARTS.length && state >= 1
                && state <= STATES.length && type != 0 && type < 0x400;
    }
}
