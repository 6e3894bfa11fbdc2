package org.vestige.core.layer;

/**
 * Where the bytes of one page (or of a run of contiguous pages) came from. Every read through a
 * {@link Layer} reports a provenance for each run of bytes it touched, so an analyst can always say
 * why a byte is what it is; a page that could not be read is {@link Missing}, never a silent zero.
 *
 * <p>Implementations are immutable records. For runs longer than one page the provenance describes
 * the first byte of the run and the run continues linearly (for example {@code Evidence(file, 0x1000)}
 * over 0x3000 bytes means file offsets 0x1000..0x3fff).
 *
 * @since 0.1
 */
public sealed interface PageProvenance {

    /** A short label for the kind of source, stable across versions (used for colours, counts and CSV). */
    String kind();

    /** @return true when the bytes are genuine content of the address space (not filler for a gap). */
    default boolean isAvailable() {
        return true;
    }

    /** Bytes read from an evidence file or container stream at the given offset. */
    record Evidence(String source, long offset) implements PageProvenance {
        @Override
        public String kind() {
            return "evidence";
        }
    }

    /** A resident page: physical address of the frame in the layer below. */
    record Physical(long physicalAddress) implements PageProvenance {
        @Override
        public String kind() {
            return "ram";
        }
    }

    /** A page in transition (on the standby or modified list): still in the physical frame. */
    record Transition(long physicalAddress) implements PageProvenance {
        @Override
        public String kind() {
            return "transition";
        }
    }

    /** A page paged out to a paging file (pagefile.sys or swapfile.sys) and read back from it. */
    record Pagefile(int slot, long offset, String file) implements PageProvenance {
        @Override
        public String kind() {
            return "pagefile";
        }
    }

    /**
     * A page held in the memory-compression store, decompressed: its store key (from the PTE), the
     * store's index in the store manager, and the index of the region holding its bytes (-1 for a
     * zero page, which has no bytes).
     */
    record Compressed(long key, int store, long region) implements PageProvenance {
        @Override
        public String kind() {
            return "compressed";
        }
    }

    /** A demand-zero page: committed but never written, so it is zero by definition. */
    record DemandZero() implements PageProvenance {
        @Override
        public String kind() {
            return "demand-zero";
        }
    }

    /** A page of a mapped file read from the file's cached data. */
    record FileBacked(String file, long offset) implements PageProvenance {
        @Override
        public String kind() {
            return "file";
        }
    }

    /**
     * Bytes that are not available. The layer fills them (with zeros, or with a pattern its format
     * defines) but they are not content. {@code cause} says why as a type code decides on; {@code reason}
     * says it in the analyst's words, e.g. "paged out to pagefile.sys (slot 0) at offset 0x1a000", and
     * names no front end's syntax: the CLI and the workbench each add their own hint from the cause.
     */
    record Missing(MissingCause cause, String reason) implements PageProvenance {

        public Missing {
            java.util.Objects.requireNonNull(cause, "cause");
            java.util.Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String kind() {
            return "missing";
        }

        @Override
        public boolean isAvailable() {
            return false;
        }
    }
}
