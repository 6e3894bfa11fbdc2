package org.vestige.layer.crashdump;

import java.util.Optional;

/**
 * A minidump's exception stream ({@code MINIDUMP_EXCEPTION_STREAM}).
 *
 * @param threadId    the thread that raised the exception
 * @param record      the exception
 * @param contextSize size of the faulting thread's context record
 * @param contextRva  file offset of that record
 * @param context     the decoded registers at the exception, when present
 * @since 0.1
 */
public record MinidumpException(int threadId, ExceptionRecord record, long contextSize, long contextRva,
        Optional<CpuContext> context) {
}
