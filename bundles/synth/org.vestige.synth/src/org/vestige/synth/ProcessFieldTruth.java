package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The {@code _EPROCESS} fields of a running system the synthesizer sets besides those the process
 * truth records (pid, parent, times, PEB, threads, VADs, token): what each process's fields hold, the
 * sessions they are linked into, the CID table, and the fields the profile of the image lacks.
 *
 * @param processes every process whose _EPROCESS was written (listed, exited and hidden)
 * @param absent    the fields (and {@code PspCidTable}) left out on this build because its profile lacks them or
 *                  what they point at
 * @param sessions  every session laid out, by id
 * @param cidTable  the CID table, or null when {@code PspCidTable} is in {@code absent}
 * @since 0.1
 */
public record ProcessFieldTruth(List<Fields> processes, List<String> absent, List<Session> sessions,
        CidTable cidTable) {

    /** STATUS_PENDING: the ExitStatus of a process that has not exited. */
    public static final long STATUS_PENDING = 0x103;

    public ProcessFieldTruth {
        processes = List.copyOf(processes);
        absent = List.copyOf(absent);
        sessions = List.copyOf(sessions);
    }

    /**
     * One process's fields as written.
     *
     * @param pid             its UniqueProcessId
     * @param eprocess        its _EPROCESS
     * @param exitStatus      ExitStatus: {@link #STATUS_PENDING} while it runs, its exit code once it has exited
     * @param objectTable     ObjectTable: its _HANDLE_TABLE (a pool block tagged {@code Obtb}), 0 once it has
     *                        exited (the table is run down)
     * @param auditImageName  the name SeAuditProcessCreationInfo.ImageFileName's _OBJECT_NAME_INFORMATION
     *                        holds ({@code \Device\HarddiskVolumeN\...}), empty for a process without an image
     *                        file, null when the profile lacks the field
     * @param auditName       the _OBJECT_NAME_INFORMATION, or 0
     * @param protection      the Protection byte (_PS_PROTECTION: Type in bits 0–2, Signer in bits 4–7), or -1
     *                        when the profile lacks it
     * @param session         Session: its session's _MM_SESSION_SPACE, 0 for a process in no session (System,
     *                        Registry, MemCompression, smss.exe) or when Session is absent
     * @param imageFile       ImageFilePointer: the _FILE_OBJECT of its executable's image view, or 0
     * @param sectionObject   SectionObject: the _SECTION of its executable, whose ControlArea is the image view's,
     *                        or 0
     * @param flags           the bits of Flags, Flags2 and Flags3 set, by their profile names
     * @since 0.1
     */
    public record Fields(long pid, long eprocess, long exitStatus, long objectTable, String auditImageName,
            long auditName, int protection, long session, long imageFile, long sectionObject, List<String> flags) {

        public Fields {
            flags = List.copyOf(flags);
        }
    }

    /**
     * One session: its {@code _MM_SESSION_SPACE} and the processes its ProcessList links through
     * {@code _EPROCESS.SessionProcessLinks}, in list order.
     *
     * @param id        SessionId
     * @param address   the _MM_SESSION_SPACE
     * @param processes the _EPROCESSes on its ProcessList
     * @since 0.1
     */
    public record Session(long id, long address, List<Long> processes) {

        public Session {
            processes = List.copyOf(processes);
        }
    }

    /**
     * The CID table: {@code PspCidTable} → a {@code _HANDLE_TABLE} whose entry for each process and thread id
     * (id / 4) points at the process or thread object's body.
     *
     * @param table     the _HANDLE_TABLE PspCidTable points at
     * @param tableCode its TableCode (the top page, the level in the low 2 bits)
     * @param entries   every entry written
     * @since 0.1
     */
    public record CidTable(long table, long tableCode, List<CidEntry> entries) {

        public CidTable {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One CID table entry.
     *
     * @param id     the process or thread id
     * @param type   "Process" or "Thread"
     * @param object the _EPROCESS or _ETHREAD
     * @param entry  the _HANDLE_TABLE_ENTRY
     * @since 0.1
     */
    public record CidEntry(long id, String type, long object, long entry) {
    }

    /** Writes this truth as a JSON object. */
    public void toJson(Json j) {
        j.open('{').key("absent").open('[');
        absent.forEach(j::value);
        j.end(']').key("processes").open('[');
        for (Fields f : processes) {
            j.open('{').key("pid").value(f.pid()).key("eprocess").hex(f.eprocess()).key("exitStatus").hex(f
                    .exitStatus()).key("objectTable").hex(f.objectTable()).key("auditImageName").value(f
                            .auditImageName()).key("auditName").hex(f.auditName()).key("protection").value(f
                                    .protection()).key("session").hex(f.session()).key("imageFilePointer").hex(f
                                            .imageFile()).key("sectionObject").hex(f.sectionObject()).key("flags")
                    .open('[');
            f.flags().forEach(j::value);
            j.end(']').end('}');
        }
        j.end(']').key("sessions").open('[');
        for (Session s : sessions) {
            j.open('{').key("id").value(s.id()).key("address").hex(s.address()).key("processes").open('[');
            s.processes().forEach(j::hex);
            j.end(']').end('}');
        }
        j.end(']');
        if (cidTable != null) {
            j.key("cidTable").open('{').key("table").hex(cidTable.table()).key("tableCode").hex(cidTable.tableCode())
                    .key("entries").open('[');
            for (CidEntry e : cidTable.entries()) {
                j.open('{').key("id").value(e.id()).key("type").value(e.type()).key("object").hex(e.object()).key(
                        "entry").hex(e.entry()).end('}');
            }
            j.end(']').end('}');
        }
        j.end('}');
    }
}
