package org.vestige.registry;

/** Formats hive offsets the same way everywhere (problems, exceptions, reports). */
final class Offsets {

    private Offsets() {
    }

    static String hex(long offset) {
        return "0x" + Long.toHexString(offset);
    }
}
