package org.vestige.windows;

/**
 * The scheduling state of a thread: the values of {@code _KTHREAD.State}, a one-byte member taking its
 * values from the kernel's {@code KTHREAD_STATE} enumeration. Microsoft does not document the enumeration;
 * the names and values are Microsoft's own, as published in the kernel's public symbol files and tabulated
 * by Geoff Chappell, "KTHREAD_STATE" (geoffchappell.com, studies/windows/km/ntoskrnl/inc/ntos/ke/
 * kthread_state.htm). Value 8 was named GateWait from Windows Server 2003 SP1 to Windows 7 and
 * GateWaitObsolete from Windows 8; value 9 exists from Windows 10.
 *
 * @since 0.1
 */
public enum ThreadState {
    INITIALIZED("Initialized"),
    READY("Ready"),
    RUNNING("Running"),
    STANDBY("Standby"),
    TERMINATED("Terminated"),
    WAITING("Waiting"),
    TRANSITION("Transition"),
    DEFERRED_READY("DeferredReady"),
    GATE_WAIT_OBSOLETE("GateWaitObsolete"),
    WAITING_FOR_PROCESS_IN_SWAP("WaitingForProcessInSwap");

    private final String label;

    ThreadState(String label) {
        this.label = label;
    }

    /** @return Microsoft's name of the state */
    public String label() {
        return label;
    }

    /** @return the name of a {@code _KTHREAD.State} value, or "Unknown (n)" for a value no kernel uses */
    public static String describe(int value) {
        ThreadState[] all = values();
        return value >= 0 && value < all.length ? all[value].label : "Unknown (" + value + ")";
    }
}
