package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The file objects the synthesizer placed in pool memory: those behind handles and mapped files, and
 * files of its own with section object pointers — one freed (no handle or reference left), one whose
 * pointers are wild — and a pool block tagged 'File' that holds no file object.
 *
 * @param skipped    why the image has no file objects of the file writer's own (the profile lacks their
 *                   structures), or null
 * @param files      every _FILE_OBJECT in pool memory, in the order they were placed
 * @param junkBlocks physical addresses of pool headers tagged 'File' whose body is no file object
 * @param sections   the data and image sections of the file writer's own files, page by page
 * @param cached     the views of those files the cache manager has mapped, page by page
 * @since 0.1
 */
public record FileTruth(String skipped, List<File> files, List<Long> junkBlocks, List<Section> sections,
        List<Cached> cached) {

    public FileTruth {
        files = List.copyOf(files);
        junkBlocks = List.copyOf(junkBlocks);
        sections = List.copyOf(sections);
        cached = List.copyOf(cached);
    }

    /**
     * A file's views in the system cache: its shared cache map, one VACB and the view's pages.
     *
     * @param file           the file object whose section object pointers lead to it
     * @param name           the file's name
     * @param sharedCacheMap the {@code _SHARED_CACHE_MAP}'s address
     * @param size           its SectionSize
     * @param sha256         the SHA-256 of all its bytes
     * @param pages          each page of the view: ram, transition or pagefile ({@code where} the frame or
     *                       the offset in pagefile.sys)
     * @since 0.1
     */
    public record Cached(long file, String name, long sharedCacheMap, long size, String sha256,
            List<SectionPage> pages) {

        public Cached {
            pages = List.copyOf(pages);
        }
    }

    /**
     * A file's data or image section: its control area, subsections and prototype PTEs.
     *
     * @param file        the file object whose section object pointers lead to it
     * @param name        the file's name
     * @param image       true for the ImageSectionObject, false for the DataSectionObject
     * @param controlArea the {@code _CONTROL_AREA}'s address
     * @param size        the bytes its subsections map (whole pages)
     * @param sha256      the SHA-256 of all its bytes, or null when a page is only in the file
     * @param pages       each page, in offset order
     * @since 0.1
     */
    public record Section(long file, String name, boolean image, long controlArea, long size, String sha256,
            List<SectionPage> pages) {

        public Section {
            pages = List.copyOf(pages);
        }
    }

    /**
     * One page of a section.
     *
     * @param offset its offset in the section
     * @param source where its prototype PTE says it is: ram, transition, pagefile, swapfile, compressed or file
     * @param where  its frame (ram, transition), its offset in the paging file, the kernel address the
     *               compressed store keys it under, or -1 (file)
     * @param sha256 the SHA-256 of its bytes, or null when it is only in the file
     * @since 0.1
     */
    public record SectionPage(long offset, String source, long where, String sha256) {
    }

    /**
     * One file object.
     *
     * @param address        its body's virtual address
     * @param physical       its body's physical address
     * @param device         its device object's namespace path ("\Device\HarddiskVolume3"), "" when it has none
     * @param name           its FileName, or null when its name's buffer pointer is wild
     * @param access         its access flags as six characters (R, W, D, r, w, d or '-')
     * @param dataSection    whether its section object pointers hold a DataSectionObject
     * @param imageSection   whether they hold an ImageSectionObject
     * @param sharedCacheMap whether they hold a SharedCacheMap
     * @param freed          whether its object header says nothing refers to it any more
     * @param wild           the pointers made wild (FileName, SectionObjectPointer), empty when none
     * @since 0.1
     */
    public record File(long address, long physical, String device, String name, String access, boolean dataSection,
            boolean imageSection, boolean sharedCacheMap, boolean freed, List<String> wild) {

        public File {
            wild = List.copyOf(wild);
        }
    }

    /** Writes this truth as the value of the current JSON key. */
    public void toJson(Json j) {
        j.open('{').key("skipped").value(skipped).key("files").open('[');
        for (File f : files) {
            j.open('{').key("address").hex(f.address()).key("physical").hex(f.physical()).key("device").value(f
                    .device()).key("name").value(f.name()).key("access").value(f.access()).key("dataSection").value(f
                            .dataSection()).key("imageSection").value(f.imageSection()).key("sharedCacheMap").value(f
                                    .sharedCacheMap()).key("freed").value(f.freed()).key("wild").open('[');
            f.wild().forEach(j::value);
            j.end(']').end('}');
        }
        j.end(']').key("junkBlocks").open('[');
        junkBlocks.forEach(j::hex);
        j.end(']').key("sections").open('[');
        for (Section s : sections) {
            j.open('{').key("file").hex(s.file()).key("name").value(s.name()).key("image").value(s.image()).key(
                    "controlArea").hex(s.controlArea()).key("size").value(s.size()).key("sha256").value(s.sha256())
                    .key("pages").open('[');
            for (SectionPage p : s.pages()) {
                j.open('{').key("offset").hex(p.offset()).key("source").value(p.source()).key("where").hex(p
                        .where()).key("sha256").value(p.sha256()).end('}');
            }
            j.end(']').end('}');
        }
        j.end(']').key("cached").open('[');
        for (Cached c : cached) {
            j.open('{').key("file").hex(c.file()).key("name").value(c.name()).key("sharedCacheMap").hex(c
                    .sharedCacheMap()).key("size").value(c.size()).key("sha256").value(c.sha256()).key("pages").open(
                            '[');
            c.pages().forEach(p -> j.open('{').key("offset").hex(p.offset()).key("source").value(p.source()).key(
                    "where").hex(p.where()).end('}'));
            j.end(']').end('}');
        }
        j.end(']').end('}');
    }
}
