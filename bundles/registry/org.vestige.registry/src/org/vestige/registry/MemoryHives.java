package org.vestige.registry;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.SessionContext;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.PageStates;
import org.vestige.core.types.Profile;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.MappedPage;
import org.vestige.windows.PageMapper;
import org.vestige.windows.PagingFile;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * The hives loaded in a memory image, found once per case from {@code CmpHiveListHead} and shared by
 * every registry analysis: the hive list, the address space their cells are read in, and where each
 * hive's pages are.
 *
 * <p>On Windows 10 1803 and later the configuration manager maps hive bins into the user space of the
 * Registry process; its address space (whose kernel half is the kernel's) reads every hive, on earlier
 * builds the kernel's does.
 *
 * @since 0.1
 */
public final class MemoryHives {

    /** The kernel variable heading the list of loaded hives. */
    public static final String LIST_HEAD = "CmpHiveListHead";

    private final HiveListing listing;
    private final long listHead;
    private final X64Layer layer;
    private final HiveResidence.Classifier classifier;
    private final Map<Long, HiveResidence> residences = new ConcurrentHashMap<>();

    private MemoryHives(HiveListing listing, long listHead, X64Layer layer, HiveResidence.Classifier classifier) {
        this.listing = listing;
        this.listHead = listHead;
        this.layer = layer;
        this.classifier = classifier;
    }

    /** What the session keeps: the hives, or why they could not be listed. */
    private record Found(MemoryHives hives, AnalysisException failure) {
    }

    /**
     * @return the case's loaded hives, walked on first use
     * @throws AnalysisException when there is no kernel, or its profile has no {@value #LIST_HEAD} or no
     *                           hive structures
     */
    public static MemoryHives of(AnalysisContext context) throws AnalysisException {
        context.requireEvidence();
        return of(context, context.plugin().id());
    }

    /**
     * @param session the case's session
     * @param who     what needs the hives, for the message when there is no kernel (an analysis id, a view)
     * @return the case's loaded hives, walked once per session
     * @throws AnalysisException when there is no kernel, or its profile has no {@value #LIST_HEAD} or no
     *                           hive structures
     */
    public static MemoryHives of(SessionContext session, String who) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(session, who);
        Found found = session.service(Found.class, c -> {
            try {
                return new Found(find(kernel), null);
            } catch (AnalysisException e) {
                return new Found(null, e);
            }
        });
        if (found.failure() != null) {
            throw found.failure();
        }
        return found.hives();
    }

    private static MemoryHives find(WindowsKernel kernel) throws AnalysisException {
        KernelDiscovery d = kernel.discovery();
        return walk(d.kernel(), d.profile(), d.kernelBase(), kernel.hiveLayer(), virtualStoreSlot(kernel));
    }

    /**
     * Walks the hive list of a kernel found by other means (a host with its own discovery, a test).
     *
     * @param kernel           the kernel address space
     * @param profile          its profile, with the symbol {@value #LIST_HEAD}
     * @param kernelBase       the kernel image's virtual address
     * @param hiveLayer        the address space hive bins are read in (the Registry process's from
     *                         Windows 10 1803, else {@code kernel})
     * @param virtualStoreSlot the memory-compression store's page-file number, -1 when there is none
     * @throws AnalysisException when the profile has no {@value #LIST_HEAD} or no hive structures
     */
    public static MemoryHives walk(X64Layer kernel, Profile profile, long kernelBase, X64Layer hiveLayer,
            int virtualStoreSlot) throws AnalysisException {
        long rva = profile.symbol(LIST_HEAD).orElseThrow(() -> new AnalysisException("the profile "
                + profile.source() + " has no symbol " + LIST_HEAD + ", so the loaded hives cannot be listed; "
                + "give the kernel's symbol table (from its PDB) with --symbols, or the hive files with --hive"));
        HiveListWalker walker;
        try {
            walker = new HiveListWalker(kernel, profile);
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe loaded hives: " + e.getMessage(), e);
        }
        long head = kernelBase + rva;
        return new MemoryHives(walker.walk(head), head, hiveLayer, classifier(hiveLayer, virtualStoreSlot));
    }

    /**
     * @return the page-file number of the memory-compression store: the kernel's paging-file record flagged
     *         VirtualStorePagefile, else the one the stores resolving compressed pages answer for; -1 when
     *         neither says
     */
    private static int virtualStoreSlot(WindowsKernel kernel) {
        try {
            int slot = kernel.pagingFiles().files().stream().filter(PagingFile::virtualStore).mapToInt(
                    PagingFile::slot).findFirst().orElse(-1);
            if (slot >= 0) {
                return slot;
            }
        } catch (RuntimeException e) {
            // unreadable records: fall back to the registered stores
        }
        return kernel.storesResolving(PageStates.COMPRESSED).stream().mapToInt(BackingStore::slot).findFirst()
                .orElseGet(() -> kernel.unavailableStore(PageStates.COMPRESSED).map(u -> u.slot()).orElse(-1));
    }

    /**
     * Classifies a page by its provenance and, for a page that cannot be read, by the page-file number its
     * PTE (or the prototype PTE it leads to) names: the virtual store's is a compressed page, any other a
     * paged-out one, whether or not that store or file could be read.
     *
     * @param layer            the address space the pages are in
     * @param virtualStoreSlot the memory-compression store's page-file number, -1 when unknown
     */
    public static HiveResidence.Classifier classifier(X64Layer layer, int virtualStoreSlot) {
        PageMapper mapper = new PageMapper(layer);
        return (va, provenance) -> {
            Residence r = Residence.of(provenance);
            if (!(provenance instanceof PageProvenance.Missing)) {
                return r;
            }
            long page = va & ~0xFFFL;
            MappedPage[] leaf = new MappedPage[1];
            mapper.forEach(page, page + 1, m -> {
                leaf[0] = m;
                return false;
            });
            if (leaf[0] == null || leaf[0].pageFile() < 0) {
                return r;
            }
            return leaf[0].pageFile() == virtualStoreSlot ? Residence.COMPRESSED : Residence.PAGEFILE;
        };
    }

    /** @return the hive list as walked, with its warnings */
    public HiveListing listing() {
        return listing;
    }

    /** @return the hives in list order */
    public List<LoadedHive> hives() {
        return listing.hives();
    }

    /** @return the virtual address of {@value #LIST_HEAD} */
    public long listHead() {
        return listHead;
    }

    /** @return the address space hive cells are read in (the Registry process's when it exists) */
    public Layer layer() {
        return layer;
    }

    /** @return the hive's cells, read through its cell map in {@link #layer()} */
    public CellMapHiveSource source(LoadedHive hive) {
        return hive.source(layer);
    }

    /** @return where the hive's blocks are, counted once per case */
    public HiveResidence residence(LoadedHive hive) {
        return residences.computeIfAbsent(hive.address(), a -> HiveResidence.of(source(hive), classifier));
    }
}
