package org.vestige.layer.crashdump;

import java.util.List;

/**
 * An {@code EXCEPTION_RECORD64} (or its 32-bit form widened): the exception a crash dump's header or a
 * minidump's exception stream records.
 *
 * @param code          the exception code, e.g. {@code 0xc0000005} (access violation)
 * @param flags         exception flags (1 = non-continuable)
 * @param nestedRecord  address of a chained exception record, or 0
 * @param address       where the exception happened
 * @param parameters    the {@code ExceptionInformation} entries in use ({@code NumberParameters}, at most 15)
 * @since 0.1
 */
public record ExceptionRecord(int code, int flags, long nestedRecord, long address, List<Long> parameters) {

    /** The most parameters an exception record carries. */
    public static final int MAXIMUM_PARAMETERS = 15;

    public ExceptionRecord {
        parameters = List.copyOf(parameters);
    }

    @Override
    public String toString() {
        return "code 0x%08x at 0x%x (flags 0x%x, %d parameters)".formatted(code, address, flags, parameters.size());
    }
}
