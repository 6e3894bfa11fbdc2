package org.vestige.windows;

import java.time.Instant;

/**
 * A process found on the active-process list.
 *
 * @param eprocess   virtual address of its _EPROCESS
 * @param pid        UniqueProcessId
 * @param ppid       InheritedFromUniqueProcessId
 * @param name       ImageFileName (at most 15 characters)
 * @param createTime CreateTime, or null when zero
 * @param exitTime   ExitTime, or null when zero (still running)
 * @param dtb        Pcb.DirectoryTableBase
 * @param peb        Peb (0 for processes without a user address space)
 * @param threads    ActiveThreads, or -1 when the profile has no such field
 * @since 0.1
 */
public record WinProcess(long eprocess, long pid, long ppid, String name, Instant createTime, Instant exitTime,
        long dtb, long peb, int threads) {

    @Override
    public String toString() {
        return name + " (pid " + pid + ", _EPROCESS 0x" + Long.toHexString(eprocess) + ")";
    }
}
