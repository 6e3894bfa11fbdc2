package org.vestige.layer.crashdump;

/**
 * A recently unloaded kernel module a triage dump lists ({@code DUMP_UNLOADED_DRIVERS}); the kernel
 * keeps at most 12 characters of the name.
 *
 * @since 0.1
 */
public record UnloadedDriver(String name, long startAddress, long endAddress) {
}
