package org.vestige.windows;

/**
 * A {@code _FILE_OBJECT}: the file a handle or a mapping refers to, as the I/O manager keeps it.
 *
 * @param physical   the physical address of its body, or -1 when it was read by virtual address only
 * @param poolHeader the physical address of the _POOL_HEADER tagged 'File' it was found behind, or -1
 * @param address    its virtual address, or 0 when it could not be recovered
 * @param device     the namespace path of its device object ("\Device\HarddiskVolume3"), "" when it has
 *                   none, or why it cannot be read
 * @param name       {@code FileName}, the path on its device, or why it cannot be read
 * @param access     the access it was opened for, six characters: R, W, D for ReadAccess, WriteAccess and
 *                   DeleteAccess, r, w, d for SharedRead, SharedWrite and SharedDelete, '-' for each not set
 * @param sections   its {@code _SECTION_OBJECT_POINTERS}, or why they cannot be read
 * @since 0.1
 */
public record WinFile(long physical, long poolHeader, long address, Readout<String> device, Readout<String> name,
        String access, Readout<SectionPointers> sections) {

    /**
     * A file's {@code _SECTION_OBJECT_POINTERS}: the control areas of the file mapped as data and as an
     * image, and the cache manager's map of its cached views.
     *
     * @param pointers       the address of the structure itself (0 when the file object has none)
     * @param dataSection    {@code DataSectionObject}, a {@code _CONTROL_AREA}, or 0
     * @param sharedCacheMap {@code SharedCacheMap}, a {@code _SHARED_CACHE_MAP}, or 0
     * @param imageSection   {@code ImageSectionObject}, a {@code _CONTROL_AREA}, or 0
     * @since 0.1
     */
    public record SectionPointers(long pointers, long dataSection, long sharedCacheMap, long imageSection) {

        /** The pointers of a file object whose SectionObjectPointer is null. */
        public static final SectionPointers NONE = new SectionPointers(0, 0, 0, 0);
    }

    /** @return the device's path and the file name, as the file is known ("\Device\HarddiskVolume3\x.txt") */
    public Readout<String> path() {
        return device.flatMap(d -> name.map(n -> d + n));
    }
}
