package org.vestige.windows;

import java.time.Instant;

/**
 * A thread on a process's thread list ({@code _EPROCESS.ThreadListHead}).
 *
 * @param ethread           virtual address of its _ETHREAD
 * @param pid               Cid.UniqueProcess
 * @param tid               Cid.UniqueThread
 * @param state             Tcb.State (see {@link ThreadState#describe(int)}), or why it is not known
 * @param startAddress      StartAddress: where the thread began executing (for a user thread, the
 *                          loader's thread-start routine in ntdll.dll)
 * @param win32StartAddress Win32StartAddress: the start routine its creator passed (for a user thread,
 *                          the function in the executable or a DLL)
 * @param createTime        CreateTime, or why it is not known (zero, or a field the profile lacks)
 * @param teb               Tcb.Teb, 0 for a thread without user mode or when the profile has no such field
 * @since 0.1
 */
public record WinThread(long ethread, long pid, long tid, Readout<Integer> state, Readout<Long> startAddress,
        Readout<Long> win32StartAddress, Readout<Instant> createTime, long teb) {

    @Override
    public String toString() {
        return "thread " + tid + " (_ETHREAD 0x" + Long.toHexString(ethread) + ")";
    }
}
