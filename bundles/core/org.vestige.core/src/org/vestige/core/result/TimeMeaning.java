package org.vestige.core.result;

import java.util.Locale;
import java.util.Optional;

/**
 * What a point in time says about the object of its row: when a process was created or exited, when a
 * registry key was last written, when a module was linked. A {@linkplain Column#time(String, TimeMeaning)
 * time column} that carries a meaning puts its values on the case's timeline (see {@link Timeline}), and
 * a body file places each in the slot of the mactime format its meaning names.
 *
 * @since 0.1
 */
public enum TimeMeaning {
    /** The object came into being (a process or thread was created). Body file slot: crtime (B). */
    CREATED(Slot.CREATED),
    /** The object ended (a process exited): the last change its record gets. Body file slot: ctime (C). */
    EXITED(Slot.CHANGED),
    /** The object's contents were last written (a registry key, a file). Body file slot: mtime (M). */
    LAST_WRITTEN(Slot.MODIFIED),
    /** The object's metadata last changed. Body file slot: ctime (C). */
    CHANGED(Slot.CHANGED),
    /** The object was last read. Body file slot: atime (A). */
    ACCESSED(Slot.ACCESSED),
    /**
     * The linker wrote the image (a PE header's TimeDateStamp): when its contents were last made. Body file
     * slot: mtime (M).
     */
    LINKED(Slot.MODIFIED),
    /** The system's own clock as the memory was read (the image's system time). Body file slot: atime (A). */
    CAPTURED(Slot.ACCESSED);

    /**
     * The four times a body file line holds, in the format's order: {@code atime|mtime|ctime|crtime}.
     *
     * @since 0.1
     */
    public enum Slot {
        /** atime: last access. */
        ACCESSED,
        /** mtime: last modification of the contents. */
        MODIFIED,
        /** ctime: last change of the metadata (the entry). */
        CHANGED,
        /** crtime: creation (birth). */
        CREATED
    }

    private final Slot slot;

    TimeMeaning(Slot slot) {
        this.slot = slot;
    }

    /** @return the body file slot a time of this meaning goes in */
    public Slot slot() {
        return slot;
    }

    /** @return the meaning in the analyst's words, e.g. "created", "last written" */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** @return the meaning named by {@link #id()} */
    public static Optional<TimeMeaning> of(String id) {
        for (TimeMeaning m : values()) {
            if (m.id().equals(id)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id();
    }
}
