package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Walks a process's handle table: {@code _EPROCESS.ObjectTable} → {@code _HANDLE_TABLE.TableCode}, whose
 * low 2 bits are the level — 0: one page of 256 16-byte {@code _HANDLE_TABLE_ENTRY}s; 1: a page of 512
 * pointers to such pages; 2: a page of pointers to level-1 pages. A handle's value is its entry's
 * index × 4; the first entry of each page is never a handle. The entry points at the object's
 * {@code _OBJECT_HEADER}: on Windows 7 {@code Object & ~7} (the low bits are flags, bit 0 set while the
 * entry is unlocked) with {@code GrantedAccess}; from Windows 8.1 {@code ObjectPointerBits} (bits 20–63)
 * hold the header's address bits 4–47, decoded as the entry's first quadword shifted right
 * arithmetically by 16 with the low 4 bits cleared (which sign-extends bit 47 into a kernel address),
 * with {@code GrantedAccessBits} (the low 25 bits of the second quadword). Facts from Windows Internals
 * 7th ed., part 1, ch. 8, "Object handles and the process handle table"; the entry layouts are the
 * profiles'.
 *
 * <p>Every table page is visited at most once (a page reached twice is a cycle, reported and skipped),
 * the walk reads at most {@link #MAX_PAGES} leaf pages, and a wild pointer or an unreadable page is
 * reported naming the process and the address while the rest of the table is still listed.
 *
 * @since 0.1
 */
public final class HandleTableWalker {

    /** 16,777,216 handles (the per-process limit) fill this many leaf pages. */
    public static final int MAX_PAGES = 65536;
    private static final int PAGE_ENTRIES = 256;
    private static final int POINTERS = 512;

    private final ObjectManager objects;
    private final MemoryReader reader;
    private final Profile profile;
    private final int objectTable;
    private final int tableCode;
    private final boolean pointerBits;
    private final int accessAt;

    /**
     * @throws java.util.NoSuchElementException naming the structure or field the profile lacks
     */
    public HandleTableWalker(ObjectManager objects) {
        this.objects = objects;
        this.reader = objects.reader();
        this.profile = objects.profile();
        this.objectTable = (int) FieldPath.require(profile, "_EPROCESS", "ObjectTable").offset();
        this.tableCode = (int) FieldPath.require(profile, "_HANDLE_TABLE", "TableCode").offset();
        this.pointerBits = profile.has("_HANDLE_TABLE_ENTRY", "ObjectPointerBits");
        this.accessAt = (int) FieldPath.require(profile, "_HANDLE_TABLE_ENTRY", pointerBits ? "GrantedAccessBits"
                : "GrantedAccess").offset();
    }

    /** The state of one walk. */
    private final class Walk {
        final String who;
        final List<WinHandle> handles = new ArrayList<>();
        final List<HandleList.Unreadable> unreadable = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final Set<Long> pages = new HashSet<>();
        int leaves;

        Walk(WinProcess p) {
            this.who = p.name() + " (pid " + p.pid() + ")";
        }

        boolean plausible(long page, String what) {
            if (page >= 0 || !X64Translator.canonical(page) || (page & 7) != 0) {
                warnings.add(who + ": " + what + " " + hex(page) + " is not a kernel address; skipped");
                return false;
            }
            if (!pages.add(page)) {
                warnings.add(who + ": " + what + " " + hex(page) + " was already walked (a cycle in the handle "
                        + "table); skipped");
                return false;
            }
            return true;
        }

        void pointers(long page, int level, long firstIndex, String what) {
            Readout<byte[]> b = reader.bytes(page, POINTERS * 8, what);
            long span = level == 1 ? PAGE_ENTRIES : (long) POINTERS * PAGE_ENTRIES;
            if (!b.isPresent()) {
                unreadable.add(new HandleList.Unreadable(page, firstIndex * 4, (firstIndex + POINTERS * span) * 4 - 4,
                        b.cause(), who + ": " + b.reason()));
                return;
            }
            for (int i = 0; i < POINTERS; i++) {
                long next = Bytes.u64(b.get(), i * 8);
                if (next == 0) {
                    continue;
                }
                long first = firstIndex + i * span;
                String name = (level == 1 ? "handle table page" : "level-1 handle table page") + " (slot " + i
                        + " of " + hex(page) + ")";
                if (!plausible(next, name)) {
                    continue;
                }
                if (level == 1) {
                    leaf(next, first);
                } else {
                    pointers(next, 1, first, "level-1 handle table page");
                }
                if (leaves >= MAX_PAGES) {
                    warnings.add(who + ": more than " + MAX_PAGES + " handle table pages; stopped");
                    return;
                }
            }
        }

        void leaf(long page, long firstIndex) {
            leaves++;
            Readout<byte[]> b = reader.bytes(page, PAGE_ENTRIES * 16, "handle table page");
            if (!b.isPresent()) {
                unreadable.add(new HandleList.Unreadable(page, firstIndex * 4, (firstIndex + PAGE_ENTRIES) * 4 - 4, b
                        .cause(), who + ": " + b.reason()));
                return;
            }
            for (int i = 1; i < PAGE_ENTRIES; i++) {
                long low = Bytes.u64(b.get(), i * 16);
                long header;
                long access = Bytes.u32(b.get(), i * 16 + accessAt);
                if (pointerBits) {
                    if ((low & 1) == 0) {
                        continue; // free (or locked at the instant of acquisition): no object to read
                    }
                    header = (low >> 16) & ~0xfL;
                    access &= 0x1ffffff;
                } else {
                    if (low == 0) {
                        continue;
                    }
                    header = low & ~7L;
                }
                handle(page + i * 16L, (firstIndex + i) * 4, header, access);
            }
        }

        void handle(long entry, long value, long header, long access) {
            long body = header + objects.bodyOffset();
            Readout<ObjectManager.Header> h = objects.header(header);
            if (!h.isPresent()) {
                warnings.add(who + ": handle " + hex(value) + " (entry " + hex(entry) + "): " + h.reason());
                Readout<String> why = Readout.missing(h.cause(), h.reason());
                handles.add(new WinHandle(value, entry, header, body, access, why, why));
                return;
            }
            ObjectManager.Header object = h.get();
            if (!object.type().isPresent()) {
                warnings.add(who + ": handle " + hex(value) + " (entry " + hex(entry) + "): " + object.type()
                        .reason());
                handles.add(new WinHandle(value, entry, header, body, access, object.type(), objects.path(object)));
                return;
            }
            var misfit = objects.inconsistency(object);
            if (misfit.isPresent()) {
                warnings.add(who + ": handle " + hex(value) + " (entry " + hex(entry) + "): " + misfit.get());
                handles.add(new WinHandle(value, entry, header, body, access, object.type(), Readout.missing(misfit
                        .get())));
                return;
            }
            handles.add(new WinHandle(value, entry, header, body, access, object.type(), objects.describe(object)));
        }
    }

    /** @return the handles of the process's table, with what could not be read and what was damaged */
    public HandleList walk(WinProcess process) {
        Walk w = new Walk(process);
        Readout<Long> table = reader.qword(process.eprocess() + objectTable, "_EPROCESS.ObjectTable");
        if (!table.isPresent()) {
            w.unreadable.add(new HandleList.Unreadable(process.eprocess() + objectTable, -1, -1, table.cause(), w.who
                    + ": " + table.reason()));
            return new HandleList(0, -1, List.of(), w.unreadable, w.warnings);
        }
        long t = table.get();
        if (t == 0) {
            return new HandleList(0, -1, List.of(), List.of(), List.of()); // an exited process
        }
        if (t >= 0 || !X64Translator.canonical(t)) {
            w.warnings.add(w.who + ": _EPROCESS.ObjectTable " + hex(t) + " is not a kernel address");
            return new HandleList(t, -1, List.of(), List.of(), w.warnings);
        }
        Readout<Long> code = reader.qword(t + tableCode, "_HANDLE_TABLE.TableCode");
        if (!code.isPresent()) {
            w.unreadable.add(new HandleList.Unreadable(t + tableCode, -1, -1, code.cause(), w.who + ": " + code
                    .reason()));
            return new HandleList(t, -1, List.of(), w.unreadable, w.warnings);
        }
        int level = (int) (code.get() & 3);
        long top = code.get() & ~3L;
        if (level == 3) {
            w.warnings.add(w.who + ": _HANDLE_TABLE " + hex(t) + " TableCode " + hex(code.get()) + " has level 3");
        } else if (w.plausible(top, "_HANDLE_TABLE " + hex(t) + " TableCode")) {
            switch (level) {
                case 0 -> w.leaf(top, 0);
                case 1 -> w.pointers(top, 1, 0, "level-1 handle table page");
                default -> w.pointers(top, 2, 0, "level-2 handle table page");
            }
        }
        w.handles.sort((a, b) -> Long.compare(a.value(), b.value()));
        return new HandleList(t, level, List.copyOf(w.handles), List.copyOf(w.unreadable), List.copyOf(w.warnings));
    }
}
