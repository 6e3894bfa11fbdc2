package org.vestige.layer.crashdump;

import java.util.Optional;

/**
 * A thread as a minidump's thread list records it ({@code MINIDUMP_THREAD}).
 *
 * @param threadId      the thread id
 * @param suspendCount  suspend count at dump time
 * @param priorityClass priority class
 * @param priority      priority
 * @param teb           address of the thread environment block
 * @param stackStart    lowest address of the stack range the writer captured
 * @param stackSize     length of that range (0 when the stack was not captured)
 * @param stackRva      file offset of the captured stack bytes (0 when not captured)
 * @param contextSize   size of the thread's {@code CONTEXT} record
 * @param contextRva    file offset of the {@code CONTEXT} record
 * @param context       the decoded registers, when the record is present and of a known layout
 * @since 0.1
 */
public record MinidumpThread(int threadId, int suspendCount, int priorityClass, int priority, long teb,
        long stackStart, long stackSize, long stackRva, long contextSize, long contextRva,
        Optional<CpuContext> context) {
}
