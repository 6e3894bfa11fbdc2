package org.vestige.layer.crashdump;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The bug check (stop code) a kernel crash dump was written for, with its four parameters.
 *
 * @param code       the bug check code, e.g. {@code 0x1000007e} (SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M)
 * @param parameters the four bug check parameters, in order
 * @since 0.1
 */
public record BugCheck(int code, List<Long> parameters) {

    public BugCheck {
        parameters = List.copyOf(parameters);
    }

    /** @return parameter {@code n} (1 to 4, as WinDbg numbers them) */
    public long parameter(int n) {
        if (n < 1 || n > parameters.size()) {
            throw new IllegalArgumentException("bug check parameters are numbered 1.." + parameters.size() + ": " + n);
        }
        return parameters.get(n - 1);
    }

    /** @return WinDbg's notation, e.g. {@code 0x1000007e (0xffffffffc0000005, ...)} */
    @Override
    public String toString() {
        return "0x%x (%s)".formatted(code, parameters.stream().map(p -> "0x%x".formatted(p)).collect(Collectors.joining(", ")));
    }
}
