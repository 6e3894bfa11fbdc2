package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * A text marker the synthesizer placed in process memory for memory scanners (YARA) to find: one copy in a
 * resident page, one across the boundary of two pages paged out to pagefile.sys, and one in a page held in
 * the compressed store, or, on an image without a store, in a third page paged out to pagefile.sys.
 *
 * @param marker   the marker's text (ASCII); its second half repeats a token of its first, so a compressor
 *                 never keeps it as one literal run
 * @param vadStart the first address of the private VAD (four pages) holding every copy
 * @param vadEnd   its last address
 * @param copies   every copy, in address order
 * @since 0.1
 */
public record MarkerTruth(String marker, long vadStart, long vadEnd, List<Copy> copies) {

    /** Where a copy's first page lies: resident, paged out to pagefile.sys, or held in the compressed store. */
    public static final String RESIDENT = "resident";
    public static final String PAGEFILE = "pagefile";
    public static final String COMPRESSED = "compressed";

    /**
     * One copy of the marker.
     *
     * @param pid       the process whose memory holds it
     * @param process   that process's name
     * @param va        its virtual address
     * @param where     where the page holding its first byte lies: {@link #RESIDENT}, {@link #PAGEFILE} or
     *                  {@link #COMPRESSED}
     * @param physical  its physical address when resident, else -1
     * @param fileOffset its offset in pagefile.sys when paged out, else -1
     * @param straddles whether it runs on into the next page (which lies where its first page does)
     * @since 0.1
     */
    public record Copy(long pid, String process, long va, String where, long physical, long fileOffset,
            boolean straddles) {
    }

    public MarkerTruth {
        copies = List.copyOf(copies);
    }

    /** Writes this truth as the value of a key of {@code truth.json}. */
    public void toJson(Json j) {
        j.open('{').key("marker").value(marker).key("vadStart").hex(vadStart).key("vadEnd").hex(vadEnd).key("copies")
                .open('[');
        for (Copy c : copies) {
            j.open('{').key("pid").value(c.pid()).key("process").value(c.process()).key("va").hex(c.va()).key("where")
                    .value(c.where()).key("physical").value(c.physical()).key("fileOffset").value(c.fileOffset())
                    .key("straddles").value(c.straddles()).end('}');
        }
        j.end(']').end('}');
    }
}
