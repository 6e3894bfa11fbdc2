package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The injected code and hollowed processes the synthesizer planted: every executable private region of
 * every process (the injected PE copies, the private allocation a planted thread starts in, a hollowed
 * process's image range), and every process whose image base does not hold what its PEB names. All are
 * planted; an image synthesized without plants has none.
 *
 * @param regions  every executable private VAD, by process and address
 * @param hollowed every hollowed or masquerading process
 * @param patches  every executable image page a process holds a changed copy of
 * @since 0.1
 */
public record MalfindTruth(List<Region> regions, List<Hollowed> hollowed, List<Patch> patches) {

    public MalfindTruth {
        regions = List.copyOf(regions);
        hollowed = List.copyOf(hollowed);
        patches = List.copyOf(patches);
    }

    /**
     * A page of an image's executable section that a process holds its own, changed copy of.
     *
     * @param pid     the process
     * @param process its image name
     * @param module  the file name of the image the page belongs to, as its VAD's file object names it
     * @param section the section the page lies in
     * @param start   the page's first byte
     * @param end     its last byte
     * @param address the first byte that differs from the image's page
     * @param bytes   64 bytes of the changed copy from {@code address}, lower-case hex
     * @since 0.1
     */
    public record Patch(long pid, String process, String module, String section, long start, long end, long address,
            String bytes) {
    }

    /**
     * One executable private region.
     *
     * @param pid          the process
     * @param process      its image name
     * @param start        the VAD's first byte
     * @param end          its last byte
     * @param protection   its MM protection index (6 for PAGE_EXECUTE_READWRITE)
     * @param commitCharge the commit charge written to the VAD
     * @param peHeader     whether the region begins with an MZ/PE header
     * @param firstBytes   its first 64 bytes, lower-case hex
     * @param pages        each page's placement in address order: {@code ram}, {@code pagefile} (pagefile.sys),
     *                     {@code compressed} (the compressed store) or {@code none} (no page-table entry)
     * @since 0.1
     */
    public record Region(long pid, String process, long start, long end, int protection, long commitCharge,
            boolean peHeader, String firstBytes, List<String> pages) {

        public Region {
            pages = List.copyOf(pages);
        }
    }

    /**
     * One hollowed or masquerading process.
     *
     * @param pid       the process
     * @param process   its image name (what the PEB and _EPROCESS still say)
     * @param imageBase PEB.ImageBaseAddress
     * @param kind      {@code private}: the image range is private PAGE_EXECUTE_READWRITE memory holding another
     *                  PE; {@code file}: the image VAD maps {@code mappedFile}, not the PEB's image path
     * @param mappedFile the file the image VAD maps, or null for {@code private}
     * @since 0.1
     */
    public record Hollowed(long pid, String process, long imageBase, String kind, String mappedFile) {
    }

    /** Writes this truth as the value of the current JSON key. */
    public void toJson(Json j) {
        j.open('{').key("regions").open('[');
        for (Region r : regions) {
            // "planted" then "vadStart", as the thread truth writes a planted thread's region
            j.open('{').key("pid").value(r.pid()).key("process").value(r.process()).key("planted").value(true)
                    .key("vadStart").hex(r.start()).key("vadEnd").hex(r.end()).key("protection").value(r.protection())
                    .key("commitCharge").value(r.commitCharge()).key("peHeader").value(r.peHeader()).key("firstBytes")
                    .value(r.firstBytes()).key("pages").open('[');
            r.pages().forEach(j::value);
            j.end(']').end('}');
        }
        j.end(']').key("hollowed").open('[');
        for (Hollowed h : hollowed) {
            j.open('{').key("pid").value(h.pid()).key("process").value(h.process()).key("imageBase").hex(h
                    .imageBase()).key("kind").value(h.kind()).key("mappedFile").value(h.mappedFile()).key("planted")
                    .value(true).end('}');
        }
        j.end(']').key("patches").open('[');
        for (Patch p : patches) {
            j.open('{').key("pid").value(p.pid()).key("process").value(p.process()).key("module").value(p.module())
                    .key("section").value(p.section())
                    .key("start").hex(p.start()).key("end").hex(p.end()).key("address").hex(p.address()).key("bytes")
                    .value(p.bytes()).key("planted").value(true).end('}');
        }
        j.end(']').end('}');
    }
}
