package org.vestige.plugin.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.Layer;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.registry.BackingStoreDescriptor;
import org.vestige.core.registry.Extensions;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.PagingFileRecord;
import org.vestige.core.store.StoreContext;
import org.vestige.core.store.StoreException;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.types.Profile;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;
import org.vestige.windows.X64Layer;
import org.vestige.windows.PagingFile;
import org.vestige.windows.PagingFiles;
import org.vestige.windows.PdbIdentity;
import org.vestige.windows.ProcessLayers;
import org.vestige.windows.ProcessList;
import org.vestige.windows.ProcessWalker;

/**
 * The Windows kernel of a case, discovered once and shared by every analysis of the session.
 *
 * <p>Discovery runs in two passes so that only the profiles that can match are read: the first
 * finds the DTB, the kernel image, its PDB identity and build using the analyst's own symbol tables
 * ({@code --symbols}) if any; the second adds the contributed profiles whose PDB name, GUID and age
 * match the kernel (or, failing that, whose build matches) and validates them against the image.
 *
 * @since 0.1
 */
public final class WindowsKernel implements EvidenceProcesses {

    private final KernelDiscovery discovery;
    private final List<String> notes;
    private volatile List<BackingStore> stores = List.of();
    private volatile String compressedStoreProblem;
    private volatile ProcessList processes;
    private volatile ProcessLayers layers;
    private volatile PagingFiles.Listing pagingFiles;

    private WindowsKernel(KernelDiscovery discovery, List<String> notes) {
        this.discovery = discovery;
        this.notes = notes;
    }

    /** @return the case's kernel, discovering it on first use */
    public static WindowsKernel of(AnalysisContext context) throws AnalysisException {
        context.requireEvidence();
        return context.shared(WindowsKernel.class, WindowsKernel::discover);
    }

    /**
     * @return the case's kernel when discovery found a usable profile and process list
     * @throws AnalysisException with the discovery report when it did not, or naming the evidence as a
     *                           user-mode minidump, which holds no kernel
     */
    public static WindowsKernel require(AnalysisContext context) throws AnalysisException {
        MinidumpProcess dump = MinidumpProcess.of(context.requireEvidence());
        if (dump != null) {
            // a minidump holds one process's user memory: no page tables, no kernel to discover
            throw new AnalysisException(context.plugin().id() + " needs a kernel memory image; " + dump.describe());
        }
        WindowsKernel k = of(context);
        if (!k.discovery.complete()) {
            throw new AnalysisException("no Windows kernel could be analysed in this image; discovery tried:\n"
                    + k.discovery.report().render() + (k.notes.isEmpty() ? "" : "\n" + String.join("\n", k.notes)));
        }
        return k;
    }

    private static WindowsKernel discover(AnalysisContext context) {
        Layer physical = context.evidenceCase().orElseThrow().physical();
        List<String> notes = new ArrayList<>();
        SymbolTables.Loaded user = SymbolTables.load(context.symbolPaths());
        user.problems().forEach(p -> notes.add("--symbols: " + p));
        for (Profile p : user.profiles()) {
            notes.add("--symbols: " + describe(p));
        }
        LocatorHints fromEvidence = evidenceHints(context.evidenceCase().orElseThrow(), notes);
        KernelDiscovery first = new KernelLocator(physical, user.profiles(), fromEvidence).locate();
        if (first.complete()) {
            notes.add("profile chosen from --symbols: " + first.profile().source());
            return withStores(context, first, notes);
        }
        if (!user.profiles().isEmpty()) {
            notes.add("none of the --symbols tables validated against this image; falling back to the installed "
                    + "profiles");
        }
        List<Profile> candidates = new ArrayList<>(user.profiles());
        candidates.addAll(contributed(first, notes));
        if (candidates.isEmpty()) {
            return withStores(context, first, notes);
        }
        LocatorHints hints = fromEvidence;
        if (first.dtb() != 0 && hints.dtb() == 0) {
            hints = hints.withDtb(first.dtb());
        }
        KernelDiscovery second = new KernelLocator(physical, candidates, hints).locate();
        return withStores(context, second.complete() || second.kernelBase() != 0 ? second : first, notes);
    }

    /**
     * The directory table base the evidence itself records (a crash dump's header, a VMware vCPU's
     * CR3) under {@link OpenedEvidence#DIRECTORY_TABLE_BASE}. Discovery tries it first and still
     * validates it, falling back to its own search when it does not hold.
     */
    private static LocatorHints evidenceHints(EvidenceCase evidenceCase, List<String> notes) {
        String value = evidenceCase.evidence().properties().get(OpenedEvidence.DIRECTORY_TABLE_BASE);
        if (value == null || !value.startsWith("0x")) {
            return LocatorHints.none();
        }
        try {
            long dtb = Long.parseUnsignedLong(value.substring(2), 16) & ~0xFFFL;
            notes.add("directory table base from the evidence (" + evidenceCase.evidence().formatId() + "): 0x"
                    + Long.toHexString(dtb) + ", tried first");
            return LocatorHints.none().withDtb(dtb);
        } catch (NumberFormatException e) {
            notes.add("the evidence's " + OpenedEvidence.DIRECTORY_TABLE_BASE + " '" + value
                    + "' is not a hexadecimal address; ignored");
            return LocatorHints.none();
        }
    }

    /**
     * Registers the case's backing stores (paging files, the memory-compression store, …) with the
     * kernel's translator so that every process layer reads paged-out pages through them. Providers see
     * the kernel's own paging-file records and can adapt the context to the engine's services. A
     * store the analyst switched off, or one that could not be built, still answers for its page-file
     * number: its pages are reported missing with the reason.
     */
    private static WindowsKernel withStores(AnalysisContext context, KernelDiscovery d, List<String> notes) {
        WindowsKernel k = new WindowsKernel(d, notes);
        if (d.kernel() == null) {
            return k;
        }
        EvidenceCase evidenceCase = context.evidenceCase().orElseThrow();
        List<PagingFileRecord> records = new ArrayList<>();
        if (d.profile() != null) {
            try {
                PagingFiles.Listing listing = k.pagingFiles();
                listing.warnings().forEach(w -> notes.add("paging-file records: " + w));
                for (PagingFile f : listing.files()) {
                    records.add(new PagingFileRecord(f.slot(), f.name().orElse(""), f.sizePages() * 4096, f.swapfile(),
                            f.virtualStore(), f.address()));
                }
            } catch (RuntimeException e) {
                notes.add("paging-file records cannot be read: " + e.getMessage());
            }
        }
        StoreContext storeContext = new StoreContext() {
            @Override
            public EvidenceCase evidenceCase() {
                return evidenceCase;
            }

            @Override
            public List<PagingFileRecord> kernelPagingFiles() {
                return List.copyOf(records);
            }

            @Override
            public <T> Optional<T> adapt(Class<T> type) {
                Object service = null;
                if (type == KernelDiscovery.class) {
                    service = d;
                } else if (type == ProcessList.class && d.complete()) {
                    service = k.processes();
                } else if (type == ProcessLayers.class && d.complete()) {
                    service = k.processLayers();
                }
                return Optional.ofNullable(type.cast(service));
            }
        };
        Set<String> disabled = context.disabledStores();
        List<BackingStore> registered = new ArrayList<>();
        for (BackingStoreDescriptor descriptor : Extensions.fromPlatform().backingStores()) {
            String off = disabled.contains(descriptor.id()) ? descriptor.id() : descriptor.resolves().stream().filter(
                    disabled::contains).findFirst().orElse(null);
            if (off != null) {
                notes.add("backing store " + descriptor.id() + " (" + descriptor.name() + ") switched off ("
                        + ("compressed".equals(off) ? "--no-compressed-store" : "--disable-store " + off) + ")");
                if (descriptor.resolves().contains("compressed")) {
                    registered.add(k.unavailableVirtualStore(records, notes, "compressed, store reading disabled"));
                }
                continue;
            }
            try {
                for (BackingStore store : descriptor.create().create(storeContext)) {
                    d.kernel().translator().register(store);
                    registered.removeIf(s -> s.slot() == store.slot());
                    registered.add(store);
                    notes.add("backing store for page-file number " + store.slot() + ": " + store);
                    store.problems().forEach(p -> notes.add("warning: " + p));
                }
            } catch (StoreException | RuntimeException e) {
                String why = e instanceof StoreException ? e.getMessage() : e.toString();
                notes.add("backing store " + descriptor.id() + " (bundle " + descriptor.contributor() + ") cannot be "
                        + "opened: " + why);
                if (descriptor.resolves().contains("compressed")) {
                    registered.add(k.unavailableVirtualStore(records, notes, "compressed, but the store cannot be read: "
                            + why));
                }
            }
        }
        registered.sort((a, b) -> Integer.compare(a.slot(), b.slot()));
        k.stores = List.copyOf(registered);
        return k;
    }

    /** Answers for the virtual store's page-file number when the store itself is not read. */
    private BackingStore unavailableVirtualStore(List<PagingFileRecord> records, List<String> notes, String why) {
        compressedStoreProblem = why;
        int slot = records.stream().filter(PagingFileRecord::virtualStore).mapToInt(PagingFileRecord::slot).findFirst()
                .orElse(-1);
        if (slot < 0) {
            slot = 2;
            notes.add("the kernel's paging-file records name no virtual store; taking page-file number 2 for it");
        }
        int s = slot;
        BackingStore store = BackingStore.unavailable(slot, "memory-compression store", offset -> why
                + " (virtual store page-file number " + s + ", page 0x" + Long.toHexString(offset >>> 12) + ")");
        discovery.kernel().translator().register(store);
        return store;
    }

    /** Loads the contributed profiles that can describe the kernel found by the first pass. */
    private static List<Profile> contributed(KernelDiscovery first, List<String> notes) {
        List<ProfileDescriptor> all = Extensions.fromPlatform().profiles();
        PdbIdentity pdb = first.pdb();
        List<ProfileDescriptor> chosen = new ArrayList<>();
        if (pdb != null) {
            for (ProfileDescriptor d : all) {
                if (d.pdbGuid() != null && d.pdbGuid().equalsIgnoreCase(pdb.guid()) && d.pdbAge() == pdb.age()
                        && (d.pdbName() == null || d.pdbName().equalsIgnoreCase(pdb.name()))) {
                    chosen.add(d);
                }
            }
            notes.add(chosen.isEmpty() ? "no installed profile has the kernel's PDB identity " + pdb
                    : "installed profile with the kernel's PDB identity: " + chosen.get(0).id());
        }
        if (first.build() != 0) {
            for (ProfileDescriptor d : all) {
                if (d.build() == first.build() && "x64".equals(d.architecture().toLowerCase(Locale.ROOT))
                        && !chosen.contains(d)) {
                    chosen.add(d);
                }
            }
        }
        if (chosen.isEmpty()) {
            notes.add("no installed profile matches build " + first.build() + "; trying every installed x64 profile");
            all.stream().filter(d -> "x64".equalsIgnoreCase(d.architecture())).forEach(chosen::add);
        }
        List<Profile> loaded = new ArrayList<>();
        for (ProfileDescriptor d : chosen) {
            try {
                loaded.add(d.load());
            } catch (IOException | RuntimeException e) {
                notes.add("profile " + d.id() + " could not be read: " + e.getMessage());
            }
        }
        return loaded;
    }

    static String describe(Profile p) {
        return p.source() + " (" + p.identity().pdbKey().orElse("types only") + ", build " + p.identity().build()
                + ")";
    }

    public KernelDiscovery discovery() {
        return discovery;
    }

    /**
     * @return the address space registry hive bins are read in: from Windows 10 1803 the configuration
     *         manager maps them into the user space of the Registry process, whose kernel half is the
     *         kernel's; on earlier builds (no live Registry process) the kernel's
     */
    public X64Layer hiveLayer() {
        return processes().processes().stream().filter(p -> p.name().equalsIgnoreCase("Registry") && p
                .exitTime() == null).findFirst().map(p -> processLayers().layer(p)).orElse(discovery.kernel());
    }

    /** @return the backing stores registered with the kernel's translator, by page-file number */
    public List<BackingStore> stores() {
        return stores;
    }

    /**
     * @return why the memory-compression store is not read (switched off, or it could not be opened), or
     *         empty when it is read or the kernel has none
     */
    public Optional<String> compressedStoreProblem() {
        return Optional.ofNullable(compressedStoreProblem);
    }

    /** @return how the profile was chosen: supplied tables, matches, fallbacks, unreadable files */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * @return the factory of process address spaces, with prototype PTEs resolved through each
     *         process's VADs, made once per session
     */
    public ProcessLayers processLayers() {
        ProcessLayers l = layers;
        if (l == null) {
            synchronized (this) {
                if (layers == null) {
                    layers = new ProcessLayers(discovery.kernel(), discovery.profile());
                }
                l = layers;
            }
        }
        return l;
    }

    /** @return the kernel's paging-file records (_MMPAGING_FILE), read once per session */
    public PagingFiles.Listing pagingFiles() {
        PagingFiles.Listing l = pagingFiles;
        if (l == null) {
            synchronized (this) {
                if (pagingFiles == null) {
                    pagingFiles = new PagingFiles(discovery.kernel(), discovery.profile(), discovery.kernelBase())
                            .list();
                }
                l = pagingFiles;
            }
        }
        return l;
    }

    /** @return the active process list, walked once per session */
    public ProcessList processes() {
        ProcessList p = processes;
        if (p == null) {
            synchronized (this) {
                if (processes == null) {
                    processes = new ProcessWalker(discovery.kernel(), discovery.profile()).walk(discovery
                            .psActiveProcessHead());
                }
                p = processes;
            }
        }
        return p;
    }
}
