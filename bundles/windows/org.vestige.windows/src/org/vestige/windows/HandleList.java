package org.vestige.windows;

import java.util.List;

import org.vestige.core.layer.MissingCause;

/**
 * What a process's handle table holds.
 *
 * @param table      the address of its {@code _HANDLE_TABLE}, or 0 when it has none (an exited process)
 * @param level      the table's level (TableCode's low 2 bits), or -1 when the table could not be read
 * @param handles    the handles in increasing value
 * @param unreadable the parts of the table that could not be read, each with its cause
 * @param warnings   each damaged structure met, naming the process and the address
 * @since 0.1
 */
public record HandleList(long table, int level, List<WinHandle> handles, List<Unreadable> unreadable,
        List<String> warnings) {

    /**
     * A part of a handle table that could not be read: the table itself or one of its pages.
     *
     * @param address    the address of what could not be read
     * @param firstValue the first handle value the part would hold, or -1 when unknown
     * @param lastValue  the last handle value it would hold, or -1 when unknown
     * @param cause      the cause of the missing page, or null when the part is missing for another reason
     * @param reason     why, in the analyst's words
     * @since 0.1
     */
    public record Unreadable(long address, long firstValue, long lastValue, MissingCause cause, String reason) {
    }
}
