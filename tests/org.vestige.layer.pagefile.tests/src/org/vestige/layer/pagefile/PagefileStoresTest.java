package org.vestige.layer.pagefile;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.registry.Extensions;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.PagingFileRecord;
import org.vestige.core.store.StoreContext;

/**
 * Paging files as backing stores: page N of the file at N × 4096, pages past the end or not on a page
 * boundary missing with a reason, and each supplied file given the page-file number the kernel's own
 * records, the analyst, or its name say.
 */
public class PagefileStoresTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** A file of {@code pages} pages, each filled with its own number, so a page read says where it was. */
    private Path paging(String name, int pages) throws Exception {
        byte[] bytes = new byte[pages * PagefileStore.PAGE];
        for (int i = 0; i < pages; i++) {
            Arrays.fill(bytes, i * PagefileStore.PAGE, (i + 1) * PagefileStore.PAGE, (byte) (i + 1));
        }
        Path p = temp.getRoot().toPath().resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    public void pageNIsReadAtNTimes4096() throws Exception {
        Path file = paging("pagefile.sys", 4);
        try (FileLayer layer = FileLayer.open(file, "pagefile.sys")) {
            PagefileStore store = new PagefileStore(0, "pagefile.sys", layer);
            byte[] page = new byte[PagefileStore.PAGE];
            PageProvenance p = store.readPage(2L * PagefileStore.PAGE, page, 0);
            assertEquals(new PageProvenance.Pagefile(0, 0x2000, "pagefile.sys"), p);
            byte[] expected = new byte[PagefileStore.PAGE];
            Arrays.fill(expected, (byte) 3);
            assertArrayEquals(expected, page);
            assertEquals(p, store.locate(0x2000));
        }
    }

    @Test
    public void pagesPastTheEndOrOffThePageGridAreMissingWithTheReason() throws Exception {
        Path file = paging("pagefile.sys", 2);
        try (FileLayer layer = FileLayer.open(file, "pagefile.sys")) {
            PagefileStore store = new PagefileStore(0, "pagefile.sys", layer);
            byte[] page = new byte[PagefileStore.PAGE];
            Arrays.fill(page, (byte) 0x55);
            PageProvenance past = store.readPage(5L * PagefileStore.PAGE, page, 0);
            assertFalse(past.isAvailable());
            assertTrue(((PageProvenance.Missing) past).reason(), ((PageProvenance.Missing) past).reason().contains(
                    "beyond the end of the supplied file (8192 bytes)"));
            assertArrayEquals("a missing page is filled with zeros, never left as it was", new byte[PagefileStore.PAGE],
                    page);
            PageProvenance odd = store.readPage(0x800, page, 0);
            assertTrue(((PageProvenance.Missing) odd).reason(), ((PageProvenance.Missing) odd).reason().contains(
                    "invalid offset 0x800"));
            assertFalse(store.locate(5L * PagefileStore.PAGE).isAvailable());
        }
    }

    @Test
    public void aPageFileNumberOutside0To15IsRefused() throws Exception {
        try (FileLayer layer = FileLayer.open(paging("pagefile.sys", 1), "pagefile.sys")) {
            new PagefileStore(16, "pagefile.sys", layer);
            fail("page-file number 16 accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("16"));
        }
    }

    @Test
    public void suppliedFilesAreNumberedByTheKernelsRecordsThenByTheirNames() throws Exception {
        Path image = paging("memory.raw", 16);
        Path pagefile = paging("pagefile.sys", 3);
        Path swapfile = paging("swapfile.sys", 2);
        Path other = paging("extra.sys", 1);
        try (EvidenceCase c = EvidenceCase.open(image, List.of(new PagefileSpec(-1, pagefile), new PagefileSpec(-1,
                swapfile), new PagefileSpec(-1, other)), Extensions.fromPlatform().formats(), false,
                new NullProgressMonitor())) {
            // no kernel records: pagefile.sys is 0 and swapfile.sys 1 by name, the other the lowest free
            List<BackingStore> byName = new PagefileStores().create(StoreContext.of(c));
            assertEquals(List.of("pagefile.sys@0", "swapfile.sys@1", "extra.sys@2"), names(byName));
            assertTrue(byName.stream().allMatch(s -> s.problems().isEmpty()));

            // the kernel says pagefile.sys is its paging file 3 and 3 pages long, swapfile.sys 1 but larger
            List<PagingFileRecord> records = List.of(new PagingFileRecord(3, "\\??\\C:\\pagefile.sys", 3L * 4096, false,
                    false, 0), new PagingFileRecord(1, "\\??\\C:\\swapfile.sys", 4L * 4096, true, false, 0),
                    new PagingFileRecord(2, "", 0, false, true, 0));
            List<BackingStore> byKernel = new PagefileStores().create(context(c, records));
            assertEquals(List.of("pagefile.sys@3", "swapfile.sys@1", "extra.sys@0"), names(byKernel));
            assertEquals(List.of(), byKernel.get(0).problems());
            assertTrue(byKernel.get(1).problems().toString(), byKernel.get(1).problems().get(0).contains(
                    "is 8192 bytes but the kernel's \\??\\C:\\swapfile.sys is 16384 bytes"));
            assertTrue(byKernel.get(2).problems().toString(), byKernel.get(2).problems().get(0).contains(
                    "the kernel has no paging file with that number"));
        }
    }

    @Test
    public void aNumberTheAnalystGivesWins() throws Exception {
        Path image = paging("memory.raw", 16);
        Path pagefile = paging("pagefile.sys", 1);
        try (EvidenceCase c = EvidenceCase.open(image, List.of(new PagefileSpec(7, pagefile)), Extensions
                .fromPlatform().formats(), false, new NullProgressMonitor())) {
            assertEquals(List.of("pagefile.sys@7"), names(new PagefileStores().create(StoreContext.of(c))));
        }
    }

    private static List<String> names(List<BackingStore> stores) {
        return stores.stream().map(s -> s.name() + "@" + s.slot()).toList();
    }

    private static StoreContext context(EvidenceCase c, List<PagingFileRecord> records) {
        return new StoreContext() {
            @Override
            public EvidenceCase evidenceCase() {
                return c;
            }

            @Override
            public List<PagingFileRecord> kernelPagingFiles() {
                return records;
            }

            @Override
            public <T> Optional<T> adapt(Class<T> type) {
                return Optional.empty();
            }
        };
    }
}
