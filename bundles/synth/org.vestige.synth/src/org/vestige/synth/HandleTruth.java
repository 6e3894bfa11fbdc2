package org.vestige.synth;

import java.util.List;
import java.util.Map;

import org.vestige.synth.internal.Json;

/**
 * The object manager's state the synthesizer placed: the object type table, the header cookie and each
 * process's handle table with every handle in it.
 *
 * @param skipped    why the image has no object types and handle tables (the profile lacks their
 *                   structures), or null when it has them
 * @param typeTable  the address of {@code ObTypeIndexTable}
 * @param cookie     the byte {@code ObHeaderCookie} (Windows 10 and later), or -1 before Windows 10
 * @param types      the object types by index
 * @param processes  each process's handle table, by pid
 * @since 0.1
 */
public record HandleTruth(String skipped, long typeTable, int cookie, Map<Integer, String> types,
        Map<Long, Table> processes) {

    /**
     * One process's handle table.
     *
     * @param eprocess  the process's _EPROCESS
     * @param table     its _HANDLE_TABLE
     * @param tableCode _HANDLE_TABLE.TableCode: the top page's address and the level in its low 2 bits
     * @param handles   every handle in it, by increasing value
     * @param pagedOut  the table's pages paged out to pagefile.sys (slot 0): page address to file offset; their
     *                  handles read back only with the pagefile
     * @since 0.1
     */
    public record Table(long eprocess, long table, long tableCode, List<Handle> handles, Map<Long, Long> pagedOut) {

        public int level() {
            return (int) (tableCode & 3);
        }
    }

    /**
     * One handle.
     *
     * @param value   the handle value (entry index × 4)
     * @param entry   the address of its _HANDLE_TABLE_ENTRY
     * @param object  the object's body address
     * @param type    the object's type name
     * @param access  the granted access mask
     * @param name    what a reader names the object by: a file's device and path, a key's full path,
     *                "image.exe pid N" for a process, "tid N pid M" for a thread, else the object's
     *                namespace path, or "" when it has none
     * @since 0.1
     */
    public record Handle(long value, long entry, long object, String type, long access, String name) {
    }

    /** @return a truth saying why the image has no handle tables */
    public static HandleTruth skipped(String why) {
        return new HandleTruth(why, 0, -1, Map.of(), Map.of());
    }

    /** Writes this truth as the value of the current JSON key. */
    public void toJson(Json j) {
        j.open('{').key("skipped").value(skipped).key("typeTable").hex(typeTable).key("cookie").value(cookie);
        j.key("types").open('{');
        types.forEach((i, n) -> j.key(String.valueOf(i)).value(n));
        j.end('}').key("processes").open('[');
        processes.forEach((pid, t) -> {
            j.open('{').key("pid").value(pid).key("eprocess").hex(t.eprocess()).key("table").hex(t.table())
                    .key("tableCode").hex(t.tableCode()).key("pagedOut").open('{');
            t.pagedOut().forEach((page, offset) -> j.key("0x" + Long.toHexString(page)).hex(offset));
            j.end('}').key("handles").open('[');
            for (Handle h : t.handles()) {
                j.open('{').key("value").hex(h.value()).key("entry").hex(h.entry()).key("object").hex(h.object())
                        .key("type").value(h.type()).key("access").hex(h.access()).key("name").value(h.name())
                        .end('}');
            }
            j.end(']').end('}');
        });
        j.end(']').end('}');
    }
}
