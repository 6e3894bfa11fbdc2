package org.vestige.layer.compressed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vestige.core.store.BackingStore;
import org.vestige.core.store.BackingStoreProvider;
import org.vestige.core.store.PagingFileRecord;
import org.vestige.core.store.StoreContext;
import org.vestige.core.store.StoreException;
import org.vestige.layer.compressed.internal.Unreadable;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.ProcessLayers;

/**
 * Offers the Windows memory-compression store of a case whose kernel the Windows engine found
 * (Windows 10 1607, build 14393, and later). The store's page-file number is the kernel's paging
 * file flagged VirtualStorePagefile, else 2 (noted as a problem of the store); its layout comes from
 * the build ({@link StoreLayout}); SmGlobals is found by {@link SmGlobalsLocator}.
 *
 * @since 0.1
 */
public final class CompressedStores implements BackingStoreProvider {

    /** The first build whose store Vestige reads (Windows 10 1607). */
    public static final int FIRST_BUILD = 14393;
    /** The page-file number Windows usually gives the virtual store. */
    public static final int USUAL_SLOT = 2;
    /** The case-cache fact holding where SmGlobals was found, e.g. {@code 0xfffff80712345678}. */
    public static final String SM_GLOBALS = "compressed.smGlobals";
    /** The case-cache fact saying how SmGlobals was found (the profile's symbol, a scan). */
    public static final String SM_GLOBALS_METHOD = "compressed.smGlobalsMethod";

    @Override
    public List<BackingStore> create(StoreContext context) throws StoreException {
        KernelDiscovery d = context.adapt(KernelDiscovery.class).orElse(null);
        if (d == null || d.kernel() == null || d.profile() == null) {
            return List.of();
        }
        Optional<PagingFileRecord> virtual = context.kernelPagingFiles().stream().filter(
                PagingFileRecord::virtualStore).findFirst();
        int build = d.build();
        if (build < 10240 && virtual.isEmpty()) {
            return List.of(); // Windows 8.1 and earlier compress nothing
        }
        StoreLayout layout = StoreLayout.forBuild(build).orElseThrow(() -> new StoreException(
                "the memory-compression store layout of build " + build + " is not known (Vestige reads builds "
                        + StoreLayout.knownBuilds() + "); its compressed pages are reported missing"));
        List<String> problems = new ArrayList<>();
        int slot;
        if (virtual.isPresent()) {
            slot = virtual.get().slot();
        } else {
            slot = USUAL_SLOT;
            problems.add("the kernel's paging-file records name no virtual store (VirtualStorePagefile); taking "
                    + "page-file number " + USUAL_SLOT + ", the usual one");
        }
        StoreManagerLocation location = located(context, d, new SmGlobalsLocator(d));
        ProcessLayers layers = context.adapt(ProcessLayers.class).orElse(null);
        CompressionStore.OwnerSpaces owners = (eprocess, dtb, name) -> layers != null
                ? layers.layer(name, dtb, eprocess) : d.kernel().translator().layer(name, dtb);
        try {
            return List.of(new CompressionStore(slot, build, layout, location, d.kernel(), d.profile(), owners,
                    problems));
        } catch (Unreadable e) {
            throw new StoreException(e.getMessage());
        }
    }

    /**
     * Finds the store manager, trying first where an earlier open of the unchanged image found SmGlobals (the
     * case cache's {@value #SM_GLOBALS} fact) and recording where it was found for the next open. That it was not
     * found is recorded too, with the profile it was looked for with and why: the next open with the same profile
     * and paging files says so at once instead of scanning the kernel image again (a scan of every section, a fifth
     * of a second); a paging file given later may hold the pages the search could not read, so it searches again.
     */
    private static StoreManagerLocation located(StoreContext context, KernelDiscovery d, SmGlobalsLocator locator)
            throws StoreException {
        var evidence = context.evidenceCase();
        Map<String, String> facts = evidence == null ? Map.of() : evidence.cachedFacts();
        // what the search read depends on the profile and on the paging files that back the kernel's pages
        String notFound = NOT_FOUND + d.profile().source() + (evidence == null ? "" : " and paging files "
                + evidence.pagefiles().stream().map(p -> p.slot() + "=" + p.record().path() + " (" + p.record().size()
                        + " bytes)").sorted().toList());
        if (notFound.equals(facts.get(SM_GLOBALS))) {
            throw new StoreException(facts.getOrDefault(SM_GLOBALS_METHOD, "SmGlobals was not found") + " (as found "
                    + "on an earlier open of this unchanged image, recorded in the case cache)");
        }
        long remembered = 0;
        try {
            String v = facts.get(SM_GLOBALS);
            remembered = v != null && v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : 0;
        } catch (NumberFormatException e) {
            // a value no open wrote: locate it again
        }
        StoreManagerLocation found;
        try {
            found = locator.locate(remembered, facts.get(SM_GLOBALS_METHOD));
        } catch (StoreException e) {
            if (evidence != null) {
                evidence.recordFacts(Map.of(SM_GLOBALS, notFound, SM_GLOBALS_METHOD, e.getMessage()));
            }
            throw e;
        }
        if (evidence != null && found.smGlobals() != remembered) {
            evidence.recordFacts(Map.of(SM_GLOBALS, "0x" + Long.toHexString(found.smGlobals()), SM_GLOBALS_METHOD,
                    found.method()));
        }
        return found;
    }

    /**
     * The {@value #SM_GLOBALS} fact's value when SmGlobals was not found, followed by the profile's source and the
     * paging files the case had.
     */
    private static final String NOT_FOUND = "none with ";
}
