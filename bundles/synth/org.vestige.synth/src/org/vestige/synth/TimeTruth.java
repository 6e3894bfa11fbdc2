package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The times the synthesizer wrote beside the processes' and threads' own: the system's clock in
 * {@code _KUSER_SHARED_DATA.SystemTime} as the image was taken, and the TimeDateStamp of the PE file header of
 * every module it mapped — each process's executable and DLLs, the kernel and its drivers.
 *
 * @param systemFileTime the FILETIME written to {@code _KUSER_SHARED_DATA.SystemTime} (LowPart, High1Time and
 *                       High2Time agreeing), later than every other time in the image
 * @param linked         every PE header written, in the order written
 * @since 0.1
 */
public record TimeTruth(long systemFileTime, List<Linked> linked) {

    /** The {@link Linked#pid()} of a kernel module. */
    public static final long KERNEL = -1;

    /**
     * One module's PE header.
     *
     * @param pid           the process whose address space maps it, or {@link #KERNEL} for a kernel module
     * @param module        the module's name as its PE header gives it
     * @param base          its base address
     * @param timeDateStamp IMAGE_FILE_HEADER.TimeDateStamp as written (seconds since 1970, unsigned)
     * @since 0.1
     */
    public record Linked(long pid, String module, long base, long timeDateStamp) {
    }

    public TimeTruth {
        linked = List.copyOf(linked);
    }

    /** Writes this truth as the value of a key of {@code truth.json}. */
    public void toJson(Json j) {
        j.open('{').key("systemTime").value(systemFileTime).key("linked").open('[');
        for (Linked l : linked) {
            j.open('{').key("pid").value(l.pid()).key("module").value(l.module()).key("base").hex(l.base())
                    .key("timeDateStamp").value(l.timeDateStamp()).end('}');
        }
        j.end(']').end('}');
    }
}
