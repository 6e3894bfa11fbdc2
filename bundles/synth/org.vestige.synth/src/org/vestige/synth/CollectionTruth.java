package org.vestige.synth;

import java.time.Instant;
import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * What a synthesized collection holds (see {@link CollectionWriter}): the memory image and paging file
 * it names in its manifest, and what became of each process of the image.
 *
 * @param image     the memory image's path in the folder
 * @param pagefile  the paging file's path in the folder
 * @param processes every process of the image, in the image's order
 * @since 0.1
 */
public record CollectionTruth(String image, String pagefile, List<Process> processes) {

    /** What the collection holds of a process. */
    public enum Outcome {
        /** Dumped, archived intact: an import extracts it and compares it with the image. */
        IMPORTED,
        /** ProcDump refused (a protected process, or one without a user address space). */
        REFUSED,
        /** No dump and no refusal: ProcDump never finished it. */
        MISSING,
        /** Dumped, but the archive was damaged after it was written. */
        CORRUPT
    }

    /**
     * One process.
     *
     * @param archive        the 7z archive's path in the folder, or null
     * @param differingPages the pages of the executable whose paging-file slot was reused before the paging
     *                       file was copied: the image's copy differs from the dump's on exactly these
     */
    public record Process(long pid, String name, Instant createTime, Outcome outcome, String archive,
            List<Long> differingPages) {
    }

    /** @return this truth as JSON text */
    public String toJson() {
        Json j = new Json().begin('{').key("image").value(image).key("pagefile").value(pagefile);
        j.key("processes").open('[');
        for (Process p : processes) {
            j.open('{').key("pid").value(p.pid()).key("name").value(p.name()).key("createTime").value(p.createTime()
                    .toString()).key("outcome").value(p.outcome().name()).key("archive").value(p.archive());
            j.key("differingPages").open('[');
            p.differingPages().forEach(j::hex);
            j.end(']').end('}');
        }
        return j.end(']').end('}').toString();
    }
}
