package org.vestige.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.CaseFacts;
import org.vestige.core.plugin.SessionContext;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.PageStates;
import org.vestige.core.store.PagingFileRecord;
import org.vestige.core.store.StoreContext;
import org.vestige.core.store.StoreStack;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.SymbolTables;

/**
 * The Windows session of a case: its kernel, discovered once, with the profile chosen for it, the
 * backing stores stacked on its translator, and the process list and address spaces every analysis,
 * view and third-party bundle of the session shares. It is a service of the case's
 * {@link SessionContext}: {@code WindowsKernel.of(session)} from anywhere that holds the session.
 *
 * <p>Discovery runs in two passes so that only the profiles that can match are read: the first
 * finds the DTB, the kernel image, its PDB identity and build using the analyst's own symbol tables
 * ({@code --symbols}) if any; the second adds the contributed profiles whose PDB name, GUID and age
 * match the kernel (or, failing that, whose build matches) and validates them against the image.
 *
 * @since 0.1
 */
public final class WindowsKernel implements EvidenceProcesses, CaseFacts {

    private final KernelDiscovery discovery;
    private final List<String> notes;
    private volatile StoreStack stores = StoreStack.empty();
    private volatile ProcessList processes;
    private volatile ProcessLayers layers;
    private volatile PagingFiles.Listing pagingFiles;
    private volatile ObjectManager objects;

    private WindowsKernel(KernelDiscovery discovery, List<String> notes) {
        this.discovery = discovery;
        this.notes = notes;
    }

    /**
     * @return the case's kernel, discovering it on first use in the session
     * @throws AnalysisException when the session has no evidence
     */
    public static WindowsKernel of(SessionContext session) throws AnalysisException {
        if (session.evidenceCase().isEmpty()) {
            throw new AnalysisException("no evidence is open: give a memory image with -f IMAGE");
        }
        MinidumpProcess dump = MinidumpProcess.of(session.evidenceCase().get());
        if (dump != null) {
            // a minidump holds one process's user memory: no page tables, no kernel to discover (a scan of its
            // sparse address space for them would never end)
            throw new AnalysisException("kernel discovery needs a kernel memory image; " + dump.describe());
        }
        return session.service(WindowsKernel.class, WindowsKernel::discover);
    }

    /**
     * @return the case's kernel when discovery found a usable profile and process list
     * @throws AnalysisException with the discovery report when it did not, or naming the evidence as a
     *                           user-mode minidump, which holds no kernel
     */
    public static WindowsKernel require(AnalysisContext context) throws AnalysisException {
        context.requireEvidence();
        return require(context, context.plugin().id());
    }

    /**
     * @param session the case's session
     * @param who     what needs the kernel, for the message when there is none (an analysis id, a view)
     * @return the case's kernel when discovery found a usable profile and process list
     * @throws AnalysisException with the discovery report when it did not, or naming the evidence as a
     *                           user-mode minidump, which holds no kernel
     */
    public static WindowsKernel require(SessionContext session, String who) throws AnalysisException {
        EvidenceCase evidence = session.evidenceCase().orElseThrow(() -> new AnalysisException(who
                + " needs evidence (-f IMAGE)"));
        MinidumpProcess dump = MinidumpProcess.of(evidence);
        if (dump != null) {
            // a minidump holds one process's user memory: no page tables, no kernel to discover
            throw new AnalysisException(who + " needs a kernel memory image; " + dump.describe());
        }
        WindowsKernel k = of(session);
        if (!k.discovery.complete()) {
            throw new AnalysisException("no Windows kernel could be analysed in this image; discovery tried:\n"
                    + k.discovery.report().render() + (k.notes.isEmpty() ? "" : "\n" + String.join("\n", k.notes)));
        }
        return k;
    }

    /** @return what discovery established: the kernel's build, base and PDB, the DTB and the profile chosen */
    @Override
    public Map<String, String> caseFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("windows build", discovery.build() == 0 ? "unknown" : String.valueOf(discovery.build()));
        facts.put("kernel base", "0x" + Long.toHexString(discovery.kernelBase()));
        facts.put("kernel pdb", discovery.pdb() == null ? "not found" : discovery.pdb().name() + " "
                + discovery.pdb().guid() + " " + discovery.pdb().age());
        facts.put("dtb", "0x" + Long.toHexString(discovery.dtb()));
        facts.put("profile", discovery.selectedProfile().map(Profile::source).orElse("none validated"));
        facts.put("discovery", discovery.report().find(DiscoveryFacts.STEP).isEmpty() ? "run on this open"
                : "facts from the case cache, checked against the image");
        return facts;
    }

    private static WindowsKernel discover(SessionContext session) {
        EvidenceCase evidenceCase = session.evidenceCase().orElseThrow();
        Layer physical = evidenceCase.physical();
        List<String> notes = new ArrayList<>();
        SymbolTables.Loaded user = SymbolTables.load(session.settings().symbolPaths());
        user.problems().forEach(p -> notes.add("--symbols: " + p));
        for (Profile p : user.profiles()) {
            notes.add("--symbols: " + describe(p));
        }
        KernelDiscovery remembered = remembered(session, user.profiles(), notes);
        if (remembered != null) {
            return withStores(session, remembered, notes);
        }
        LocatorHints fromEvidence = evidenceHints(evidenceCase, notes);
        KernelDiscovery first = new KernelLocator(physical, user.profiles(), fromEvidence).locate();
        if (first.complete()) {
            notes.add("profile chosen from --symbols: " + first.profile().source());
            if (DiscoveryFacts.worthRecording(first)) {
                evidenceCase.recordFacts(DiscoveryFacts.of(first, DiscoveryFacts.SYMBOLS));
            }
            return withStores(session, first, notes);
        }
        if (!user.profiles().isEmpty()) {
            notes.add("none of the --symbols tables validated against this image; falling back to the installed "
                    + "profiles");
        }
        List<Profile> candidates = new ArrayList<>(user.profiles());
        Map<Profile, String> installedIds = new java.util.IdentityHashMap<>();
        candidates.addAll(contributed(session, first, notes, installedIds));
        if (candidates.isEmpty()) {
            return withStores(session, first, notes);
        }
        LocatorHints hints = fromEvidence;
        if (first.dtb() != 0 && hints.dtb() == 0) {
            hints = hints.withDtb(first.dtb());
        }
        KernelDiscovery second = new KernelLocator(physical, candidates, hints).locate();
        if (DiscoveryFacts.worthRecording(second)) {
            evidenceCase.recordFacts(DiscoveryFacts.of(second, installedIds.getOrDefault(second.profile(),
                    DiscoveryFacts.SYMBOLS)));
        }
        return withStores(session, second.complete() || second.kernelBase() != 0 ? second : first, notes);
    }

    /**
     * The discovery an earlier open of the unchanged image recorded in the case cache, when its facts still
     * hold against the image; else {@code null}, with the reason noted (discovery then runs in full).
     */
    private static KernelDiscovery remembered(SessionContext session, List<Profile> user, List<String> notes) {
        EvidenceCase evidenceCase = session.evidenceCase().orElseThrow();
        var restored = DiscoveryFacts.restore(evidenceCase.physical(), evidenceCase.cachedFacts(), (id, source) -> {
            if (id.equals(DiscoveryFacts.SYMBOLS)) {
                return user.stream().filter(p -> p.source().equals(source)).findFirst().orElseThrow(
                        () -> new IllegalStateException("they were found with the --symbols table " + source
                                + ", not given this time"));
            }
            if (!user.isEmpty()) {
                throw new IllegalStateException("they were found with the installed profile " + id
                        + ", and --symbols tables are given this time");
            }
            ProfileDescriptor d = session.extensions().profiles().stream().filter(p -> p.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the profile " + id + " is no longer installed"));
            try {
                return d.load();
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("the profile " + id + " cannot be read: " + e.getMessage());
            }
        });
        if (restored.isEmpty()) {
            return null;
        }
        String note = restored.get().discovery() != null
                ? "kernel discovery facts from the case cache, checked against the image; discovery skipped"
                : "kernel discovery facts in the case cache ignored, " + restored.get().ignored()
                        + "; discovering again";
        notes.add(note);
        if (restored.get().discovery() != null) {
            evidenceCase.noteCacheUse(note);
        } else {
            evidenceCase.noteCache(note);
        }
        return restored.get().discovery();
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
     * Stacks the case's backing stores (paging files, the memory-compression store, …) on the kernel's
     * translator so that every process layer reads paged-out pages through them. Providers see the
     * kernel's own paging-file records and adapt the context to this engine's services
     * ({@link KernelDiscovery}, {@link ProcessList}, {@link ProcessLayers}).
     */
    private static WindowsKernel withStores(SessionContext session, KernelDiscovery d, List<String> notes) {
        WindowsKernel k = new WindowsKernel(d, notes);
        if (d.kernel() == null) {
            return k;
        }
        EvidenceCase evidenceCase = session.evidenceCase().orElseThrow();
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
        StoreStack stack = StoreStack.build(session.extensions().backingStores(), storeContext, session.settings()
                .disabledStores(), d.kernel().translator()::register);
        notes.addAll(stack.notes());
        k.stores = stack;
        return k;
    }

    /** Loads the contributed profiles that can describe the kernel found by the first pass. */
    private static List<Profile> contributed(SessionContext session, KernelDiscovery first, List<String> notes,
            Map<Profile, String> ids) {
        Set<String> excluded = session.settings().excludedProfiles();
        List<ProfileDescriptor> installed = session.extensions().profiles().stream().filter(d -> !excluded.contains(d
                .id())).toList();
        if (!excluded.isEmpty()) {
            notes.add("installed profiles left out as asked: " + new java.util.TreeSet<>(excluded));
        }
        int revision = first.kernel() == null || first.kernelBase() == 0 ? 0 : KernelRevision.read(first.kernel(),
                first.kernelBase(), first.build());
        List<ProfileDescriptor> chosen = new ProfileMatcher(installed).forKernel(first.pdb(), first.build(), revision,
                notes);
        List<Profile> loaded = new ArrayList<>();
        for (ProfileDescriptor d : chosen) {
            try {
                Profile p = d.load();
                loaded.add(p);
                ids.put(p, d.id());
            } catch (IOException | RuntimeException e) {
                notes.add("profile " + d.id() + " could not be read: " + e.getMessage());
            }
        }
        return loaded;
    }

    /** @return how notes and reports name a profile: its source, PDB identity and build */
    public static String describe(Profile p) {
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
        return stores.stores();
    }

    /**
     * @return the readable stores that resolve a page state ({@link PageStates#PAGEFILE},
     *         {@link PageStates#COMPRESSED})
     */
    public List<BackingStore> storesResolving(String state) {
        return stores.resolving(state);
    }

    /**
     * @return why the stores of a page state do not answer (switched off, or they could not be opened),
     *         or empty when they are read or the kernel has none
     */
    public Optional<MissingCause.StoreUnavailable> unavailableStore(String state) {
        return stores.unavailable(state);
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

    /**
     * @return a process's command line from its PEB's process parameters, or why it cannot be read (no
     *         user address space, the PEB or its parameters paged out)
     */
    public Readout<String> commandLine(WinProcess process) {
        if (process.peb() == 0) {
            return Readout.missing("no user address space (no PEB)");
        }
        return new PebReader(processLayers().layer(process), discovery.profile()).read(process.peb()).commandLine();
    }

    /**
     * @return the object manager, made once per session: it reads the object type table and the header
     *         cookie once and keeps them
     * @throws java.util.NoSuchElementException when the profile has no _OBJECT_HEADER
     */
    public ObjectManager objects() {
        ObjectManager o = objects;
        if (o == null) {
            synchronized (this) {
                if (objects == null) {
                    objects = new ObjectManager(discovery.kernel(), discovery);
                }
                o = objects;
            }
        }
        return o;
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
