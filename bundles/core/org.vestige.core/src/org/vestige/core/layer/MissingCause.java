package org.vestige.core.layer;

/**
 * Why a byte range could not be read, as a type code can decide on. The text a person reads is the
 * {@link PageProvenance.Missing#reason() reason} beside it; each front end (CLI, workbench) renders its
 * own hint from the cause (the CLI names its {@code --pagefile} option, the workbench its Open Evidence
 * page), so no engine message carries the syntax of one front end and no code parses a sentence.
 *
 * @since 0.1
 */
public sealed interface MissingCause {

    /**
     * No translation exists: the page table entry is zero or not valid in a way that names no source,
     * no VAD covers the address, or the address is not canonical.
     */
    record NotMapped() implements MissingCause {
    }

    /**
     * The page was paged out to a paging file that is not part of the case.
     *
     * @param slot   the page-file number in the page table entry (0 is pagefile.sys, 1 swapfile.sys on
     *               Windows 8 and later)
     * @param offset the byte offset of the page in that paging file
     */
    record PagedOut(int slot, long offset) implements MissingCause {
    }

    /**
     * The page belongs to a backing store that is part of the case but does not answer: switched off by
     * the analyst, or it could not be opened or read.
     *
     * @param slot     the store's page-file number
     * @param store    the backing-store contribution id (for example {@code pagefile},
     *                 {@code compressed})
     * @param disabled true when the analyst switched the store off, false when it failed
     * @param why      the store's own account, in the analyst's words
     */
    record StoreUnavailable(int slot, String store, boolean disabled, String why) implements MissingCause {

        public StoreUnavailable {
            java.util.Objects.requireNonNull(store, "store");
            java.util.Objects.requireNonNull(why, "why");
        }

        /** @return the cause for a store the analyst switched off */
        public static StoreUnavailable disabled(int slot, String store) {
            return new StoreUnavailable(slot, store, true, "store reading disabled");
        }

        /** @return the cause for a store that could not be opened or read, with the store's account */
        public static StoreUnavailable failed(int slot, String store, String why) {
            return new StoreUnavailable(slot, store, false, why);
        }
    }

    /** The address lies outside what the evidence holds: beyond its end, in a hole of its memory map. */
    record OutsideImage() implements MissingCause {
    }

    /**
     * The acquisition did not capture the page although the machine had it: a page a bitmap, kernel or
     * triage dump left out, a range a minidump did not save.
     */
    record NotCaptured() implements MissingCause {
    }

    /**
     * The page exists only in a file on the machine's disk (a mapped image or data file whose page was
     * not cached in memory).
     *
     * @param file   the file's name as the kernel records it, or empty when unknown
     * @param offset the byte offset of the page in that file, or -1 when unknown
     */
    record InFile(String file, long offset) implements MissingCause {

        public InFile {
            java.util.Objects.requireNonNull(file, "file");
        }
    }

    /**
     * The bytes were located but could not be read or decoded: an I/O error, a truncated or corrupt
     * container, a page that failed to decompress, a page table that is itself missing.
     */
    record Unreadable() implements MissingCause {
    }

    /**
     * The bytes are stored in another volume of the evidence set (a multi-file AFF4 set) that was not opened.
     *
     * @param volume the volume's URN, or empty when the metadata does not say which volume holds them
     * @param file   the volume's file name as the set's metadata records it, or empty when not recorded
     * @since 0.1
     */
    record OtherVolume(String volume, String file) implements MissingCause {

        public OtherVolume {
            java.util.Objects.requireNonNull(volume, "volume");
            java.util.Objects.requireNonNull(file, "file");
        }
    }

    /**
     * @return true when supplying the named evidence (a paging file, a file from disk, another volume of the set)
     *         would fill the gap
     */
    default boolean recoverable() {
        return this instanceof PagedOut || this instanceof InFile || this instanceof OtherVolume;
    }
}
