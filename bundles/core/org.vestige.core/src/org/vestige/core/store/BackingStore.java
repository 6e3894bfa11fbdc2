package org.vestige.core.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

/**
 * Satisfies pages that are not resident: a paging file (pagefile.sys, swapfile.sys) or the
 * memory-compression store. A translating layer hands a software PTE's page-file number and page
 * offset to the store registered for that number.
 *
 * @since 0.1
 */
public interface BackingStore {

    /** @return a name for provenance and messages, e.g. {@code pagefile.sys} */
    String name();

    /** @return the kernel's page-file number this store serves (0..15) */
    int slot();

    /** @return the size in bytes of what the store holds, or -1 when it has no size (a store in memory) */
    default long size() {
        return -1;
    }

    /**
     * @return what is wrong with the store as a whole, in the analyst's words (a supplied file smaller
     *         than the kernel's record, a file whose name differs from the kernel's); empty when nothing
     */
    default List<String> problems() {
        return List.of();
    }

    /**
     * Reads one 4 KiB page.
     *
     * @param pageOffset byte offset of the page in the store (PageFileHigh × 4096)
     * @param buffer     receives 4096 bytes at {@code offset}
     * @return where the page came from, or {@link PageProvenance.Missing} with the reason when the
     *         store cannot supply it (the buffer is then zero-filled)
     */
    PageProvenance readPage(long pageOffset, byte[] buffer, int offset);

    /**
     * Says where a page would come from without necessarily reading it: memory maps list every page of
     * an address space, and a store with an index answers this from the index alone. The default reads
     * the page.
     *
     * @param pageOffset byte offset of the page in the store (PageFileHigh × 4096)
     * @return what {@link #readPage} would report
     */
    default PageProvenance locate(long pageOffset) {
        return readPage(pageOffset, new byte[4096], 0);
    }

    /**
     * A store for a page-file number whose pages cannot be read, saying why for each page: reading
     * switched off by the analyst, or a store that could not be opened. Every page is
     * {@link PageProvenance.Missing} with {@code cause}.
     *
     * @param cause  which store, on which page-file number, and whether it was switched off or failed
     * @param name   the store's name for provenance and messages, e.g. {@code memory-compression store}
     * @param reason the reason for a page, in the analyst's words, given its offset in the store
     * @since 0.1
     */
    static BackingStore unavailable(MissingCause.StoreUnavailable cause, String name, LongFunction<String> reason) {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        return new BackingStore() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int slot() {
                return cause.slot();
            }

            @Override
            public PageProvenance readPage(long pageOffset, byte[] buffer, int offset) {
                Arrays.fill(buffer, offset, offset + 4096, (byte) 0);
                return locate(pageOffset);
            }

            @Override
            public PageProvenance locate(long pageOffset) {
                return new PageProvenance.Missing(cause, reason.apply(pageOffset));
            }

            @Override
            public String toString() {
                return name + " (page-file number " + cause.slot() + ", not readable)";
            }
        };
    }
}
