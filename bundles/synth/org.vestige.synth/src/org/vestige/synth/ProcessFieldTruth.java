package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The {@code _EPROCESS} fields of a running system the synthesizer sets besides those the process
 * truth records (pid, parent, times, PEB, threads, VADs, token): what each process's fields hold, and
 * the fields the profile of the image lacks.
 *
 * @param processes every process whose _EPROCESS was written (listed, exited and hidden)
 * @param absent    {@code _EPROCESS} fields the profile has no offset for, so left out on this build
 * @since 0.1
 */
public record ProcessFieldTruth(List<Fields> processes, List<String> absent) {

    /** STATUS_PENDING: the ExitStatus of a process that has not exited. */
    public static final long STATUS_PENDING = 0x103;

    public ProcessFieldTruth {
        processes = List.copyOf(processes);
        absent = List.copyOf(absent);
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
     */
    public record Fields(long pid, long eprocess, long exitStatus, long objectTable, String auditImageName,
            long auditName, int protection) {
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
                                    .protection()).end('}');
        }
        j.end(']').end('}');
    }
}
