package org.vestige.layer.pagefile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.Layer;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.BackingStoreProvider;
import org.vestige.core.store.PagingFileRecord;
import org.vestige.core.store.StoreContext;

/**
 * The paging files of a case: those the analyst supplied ({@code --pagefile [N=]FILE}) and those
 * carried inside the evidence (a WinPmem AFF4 volume's pagefile streams).
 *
 * <p>A file's page-file number comes, in this order, from the analyst ({@code N=}), from the
 * kernel's own record of a paging file with the same name ({@code _MMPAGING_FILE.PageFileName}),
 * from the number the evidence container gives it, and last from the usual numbering by name
 * (pagefile.sys 0, swapfile.sys 1) or the lowest free number. Whatever does not fit the kernel's
 * records — a file smaller or larger than the kernel's, a name the kernel does not have, a number
 * that is the memory-compression store's — is reported as a problem of the store, and pages the
 * file cannot supply are reported missing, never read as zeros.
 *
 * @since 0.1
 */
public final class PagefileStores implements BackingStoreProvider {

    private record Candidate(int slot, String name, Layer layer, String origin) {
    }

    @Override
    public List<BackingStore> create(StoreContext context) {
        List<PagingFileRecord> kernel = context.kernelPagingFiles();
        List<Candidate> numbered = new ArrayList<>();
        List<Candidate> unnumbered = new ArrayList<>();
        for (var p : context.evidenceCase().pagefiles()) {
            Candidate c = new Candidate(p.slot(), p.record().path().getFileName().toString(), p.layer(), "--pagefile "
                    + p.record().path());
            (p.slot() >= 0 ? numbered : unnumbered).add(c);
        }
        for (OpenedEvidence.BackingFile b : context.evidenceCase().evidence().backing()) {
            Candidate c = new Candidate(-1, simpleName(b.name()), b.layer(), "stream " + b.name() + " of the evidence");
            // the kernel's record by name beats a container's numbering; the container's beats a guess
            if (byName(kernel, c.name()).isEmpty() && b.slot() >= 0) {
                c = new Candidate(b.slot(), c.name(), c.layer(), c.origin());
                numbered.add(c);
            } else {
                unnumbered.add(c);
            }
        }
        List<BackingStore> stores = new ArrayList<>();
        BitSet used = new BitSet(16);
        for (Candidate c : numbered) {
            if (!used.get(c.slot())) {
                used.set(c.slot());
                stores.add(store(c, c.slot(), kernel, "given"));
            }
        }
        for (Candidate c : unnumbered) {
            Optional<PagingFileRecord> named = byName(kernel, c.name());
            int slot;
            String how;
            if (named.isPresent() && !used.get(named.get().slot())) {
                slot = named.get().slot();
                how = "the kernel's record";
            } else {
                slot = usual(c.name());
                how = "its name";
                if (slot < 0 || used.get(slot)) {
                    slot = used.nextClearBit(0);
                    how = "the lowest free number";
                }
            }
            if (slot <= 15) {
                used.set(slot);
                stores.add(store(c, slot, kernel, how));
            }
        }
        return stores;
    }

    /** Makes the store and says what does not fit the kernel's record for its number. */
    private static PagefileStore store(Candidate c, int slot, List<PagingFileRecord> kernel, String how) {
        List<String> problems = new ArrayList<>();
        String what = c.name() + " (" + c.origin() + ", page-file number " + slot + " from " + how + ")";
        if (!kernel.isEmpty()) {
            PagingFileRecord r = kernel.stream().filter(k -> k.slot() == slot).findFirst().orElse(null);
            if (r == null) {
                problems.add(what + ": the kernel has no paging file with that number; its software PTEs never name it");
            } else if (r.virtualStore()) {
                problems.add(what + ": the kernel's page-file number " + slot + " is the memory-compression store, "
                        + "which has no file; pages it holds are read from the store, not from this file");
            } else {
                if (!r.fileName().isEmpty() && !r.fileName().equalsIgnoreCase(c.name())) {
                    problems.add(what + ": the kernel's paging file " + slot + " is " + r.name());
                }
                long size = c.layer().size();
                if (r.sizeBytes() > 0 && size < r.sizeBytes()) {
                    problems.add(what + " is " + size + " bytes but the kernel's " + display(r) + " is " + r
                            .sizeBytes() + " bytes: pages past the end of the file are reported missing (a truncated "
                            + "copy, or a file of another image)");
                } else if (r.sizeBytes() > 0 && size > r.sizeBytes()) {
                    problems.add(what + " is " + size + " bytes but the kernel's " + display(r) + " is only " + r
                            .sizeBytes() + " bytes: it may have been taken at another time or on another machine");
                }
            }
        }
        return new PagefileStore(slot, c.name(), c.layer(), problems);
    }

    private static String display(PagingFileRecord r) {
        return r.name().isEmpty() ? "paging file " + r.slot() : r.name();
    }

    private static Optional<PagingFileRecord> byName(List<PagingFileRecord> kernel, String name) {
        return kernel.stream().filter(r -> !r.virtualStore() && r.fileName().equalsIgnoreCase(name)).findFirst();
    }

    private static int usual(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("pagefile") ? 0 : n.startsWith("swapfile") ? 1 : -1;
    }

    private static String simpleName(String name) {
        return name.replaceAll(".*[\\\\/]", "");
    }
}
