package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.ProcessFieldTruth;

/**
 * Sets the {@code _EPROCESS} fields a running system has and tools read, beyond those {@link ProcessWriter}
 * writes: ExitStatus, an ObjectTable for every process the handle tables left without one,
 * SeAuditProcessCreationInfo.ImageFileName and Protection. Called after the handle tables are written.
 *
 * <p>Facts: ExitStatus holds STATUS_PENDING (0x103, ntstatus.h) from the process's creation until it exits,
 * then its exit code. The
 * ObjectTable is a {@code _HANDLE_TABLE} in a pool block tagged {@code Obtb} (Windows Driver Kit
 * pooltag.txt: "Obtb - nt!ob - object tables via EX handle.c"), run down to 0 when the process exits.
 * SeAuditProcessCreationInfo.ImageFileName points at an {@code _OBJECT_NAME_INFORMATION}, a UNICODE_STRING
 * followed by its characters, naming the image by its device path {@code \Device\HarddiskVolumeN\...}
 * (Windows Internals 7th ed., part 1, ch. 3, "Process internals"). Protection is a {@code _PS_PROTECTION}
 * byte, Type in bits 0–2 (1 light, 2 full) and Signer in bits 4–7 (6 WinTcb, 7 WinSystem): System runs
 * protected as WinSystem (0x72), smss.exe, csrss.exe, wininit.exe and services.exe as WinTcb light (0x61)
 * (Windows Internals 7th ed., part 1, ch. 3, "Protected processes").
 */
final class ProcessFieldsWriter {

    /** the volume the synthesized system's C: drive is on (the handle tables' file names use it too) */
    static final String VOLUME = "\\Device\\HarddiskVolume3";
    private static final long TAG_OBJECT_TABLE = 0x6274624fL; // 'Obtb'
    private static final int PROTECTED_WIN_SYSTEM = 0x72;
    private static final int LIGHT_WIN_TCB = 0x61;
    private static final Set<String> WIN_TCB_LIGHT = Set.of("smss.exe", "csrss.exe", "wininit.exe", "services.exe");
    private static final List<String> FIELDS = List.of("ExitStatus", "ObjectTable",
            "SeAuditProcessCreationInfo.ImageFileName", "Protection");

    private final Machine machine;
    private final Profile profile;
    private final PageTableBuilder kernel;

    ProcessFieldsWriter(Machine machine) {
        this.machine = machine;
        this.profile = machine.profile;
        this.kernel = machine.kernel;
    }

    /**
     * @param running the processes that have not exited (listed and hidden)
     * @param exited  the processes that have exited, each with exit code 0
     */
    ProcessFieldTruth write(List<PlacedProcess> running, List<PlacedProcess> exited) {
        List<String> absent = new ArrayList<>();
        for (String f : FIELDS) {
            if (!profile.has("_EPROCESS", f)) {
                absent.add(f);
            }
        }
        if (profile.struct("_HANDLE_TABLE").isEmpty() && !absent.contains("ObjectTable")) {
            absent.add("ObjectTable");
        }
        List<ProcessFieldTruth.Fields> out = new ArrayList<>();
        for (PlacedProcess p : running) {
            out.add(write(p, ProcessFieldTruth.STATUS_PENDING, absent));
        }
        for (PlacedProcess p : exited) {
            out.add(write(p, 0, absent));
        }
        return new ProcessFieldTruth(out, absent);
    }

    private ProcessFieldTruth.Fields write(PlacedProcess p, long exitStatus, List<String> absent) {
        boolean exits = exitStatus != ProcessFieldTruth.STATUS_PENDING;
        long status = -1;
        if (!absent.contains("ExitStatus")) {
            kernel.write(p.eprocess + profile.offset("_EPROCESS", "ExitStatus"), Le.bytes(exitStatus, 4));
            status = exitStatus;
        }
        long table = 0;
        if (!absent.contains("ObjectTable")) {
            long at = p.eprocess + profile.offset("_EPROCESS", "ObjectTable");
            table = exits ? 0 : kernel.readLong(at);
            if (table == 0 && !exits) {
                table = emptyHandleTable(p);
            }
            kernel.writeLong(at, table);
        }
        String name = null;
        long nameInfo = 0;
        if (!absent.contains("SeAuditProcessCreationInfo.ImageFileName")) {
            name = devicePath(p.imagePath);
            nameInfo = objectNameInformation(name);
            kernel.writeLong(p.eprocess + profile.offset("_EPROCESS", "SeAuditProcessCreationInfo.ImageFileName"),
                    nameInfo);
        }
        int protection = -1;
        if (!absent.contains("Protection")) {
            protection = p.pid == 4 ? PROTECTED_WIN_SYSTEM : WIN_TCB_LIGHT.contains(p.name) ? LIGHT_WIN_TCB : 0;
            kernel.write(p.eprocess + profile.offset("_EPROCESS", "Protection"), new byte[] {(byte) protection});
        }
        return new ProcessFieldTruth.Fields(p.pid, p.eprocess, status, table, name, nameInfo, protection);
    }

    /** A handle table with one page of entries and no handles, for a process given none. */
    private long emptyHandleTable(PlacedProcess p) {
        long entries = machine.poolPages(1);
        StructBuffer t = new StructBuffer(profile, "_HANDLE_TABLE");
        long table = machine.poolAlloc(t.size(), TAG_OBJECT_TABLE);
        t.put("TableCode", entries);
        t.putIfPresent("QuotaProcess", p.eprocess).putIfPresent("UniqueProcessId", p.pid);
        if (t.has("HandleTableList")) {
            long list = table + t.offset("HandleTableList");
            t.putList("HandleTableList", list, list);
        }
        kernel.write(table, t.bytes());
        return table;
    }

    /**
     * @return the device path of an image path ({@code C:\...} or {@code \SystemRoot\...}), or "" for a
     *         process without an image file
     */
    static String devicePath(String imagePath) {
        if (imagePath == null || imagePath.isEmpty()) {
            return "";
        }
        if (imagePath.regionMatches(true, 0, "\\SystemRoot\\", 0, 12)) {
            return VOLUME + "\\Windows\\" + imagePath.substring(12);
        }
        if (imagePath.length() > 2 && imagePath.charAt(1) == ':') {
            return VOLUME + imagePath.substring(2);
        }
        return imagePath;
    }

    /** @return an _OBJECT_NAME_INFORMATION (a UNICODE_STRING and then its characters) holding {@code name} */
    private long objectNameInformation(String name) {
        byte[] chars = name.getBytes(StandardCharsets.UTF_16LE);
        byte[] body = new byte[0x10 + chars.length + 2];
        long va = machine.poolAlloc(body.length);
        Le.put(body, 0, chars.length, 2);
        Le.put(body, 2, chars.length + 2, 2);
        Le.put(body, 8, chars.length == 0 ? 0 : va + 0x10, 8);
        System.arraycopy(chars, 0, body, 0x10, chars.length);
        kernel.write(va, body);
        return va;
    }
}
