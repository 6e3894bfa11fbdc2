package org.vestige.windows;

/**
 * One entry of a process's handle table.
 *
 * @param value  the handle value (the entry's index × 4)
 * @param entry  the address of its {@code _HANDLE_TABLE_ENTRY}
 * @param header the address of the object's {@code _OBJECT_HEADER} the entry points at
 * @param object the address of the object's body
 * @param access the granted access mask
 * @param type   the object's type name, or why it cannot be told
 * @param name   what the object is known by (see {@link ObjectManager#describe}), or why it cannot be read
 * @since 0.1
 */
public record WinHandle(long value, long entry, long header, long object, long access, Readout<String> type,
        Readout<String> name) {
}
