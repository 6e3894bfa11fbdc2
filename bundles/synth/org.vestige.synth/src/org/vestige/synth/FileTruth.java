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
 * @since 0.1
 */
public record FileTruth(String skipped, List<File> files, List<Long> junkBlocks) {

    public FileTruth {
        files = List.copyOf(files);
        junkBlocks = List.copyOf(junkBlocks);
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
        j.end(']').end('}');
    }
}
