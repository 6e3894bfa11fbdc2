package org.vestige.layer.pagefile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.store.BackingStore;
import org.vestige.core.store.BackingStoreProvider;

/**
 * The paging files of a case: those the analyst supplied ({@code --pagefile [N=]FILE}) and those
 * carried inside the evidence (a WinPmem AFF4 volume's pagefile streams). A file without a number
 * gets the usual one by name — pagefile.sys 0, swapfile.sys 1 — or the lowest free number; the
 * kernel's own records (_MMPAGING_FILE) can correct that later.
 *
 * @since 0.1
 */
public final class PagefileStores implements BackingStoreProvider {

    @Override
    public List<BackingStore> create(EvidenceCase evidenceCase) {
        List<BackingStore> stores = new ArrayList<>();
        BitSet used = new BitSet(16);
        for (OpenedEvidence.BackingFile b : evidenceCase.evidence().backing()) {
            if (b.slot() >= 0 && !used.get(b.slot())) {
                used.set(b.slot());
                stores.add(new PagefileStore(b.slot(), simpleName(b.name()), b.layer()));
            }
        }
        for (EvidenceCase.SuppliedPagefile p : evidenceCase.pagefiles()) {
            if (p.slot() >= 0) {
                used.set(p.slot());
                stores.removeIf(s -> s.slot() == p.slot());
                stores.add(new PagefileStore(p.slot(), p.record().path().getFileName().toString(), p.layer()));
            }
        }
        for (EvidenceCase.SuppliedPagefile p : evidenceCase.pagefiles()) {
            if (p.slot() < 0) {
                String name = p.record().path().getFileName().toString();
                int slot = usual(name);
                if (slot < 0 || used.get(slot)) {
                    slot = used.nextClearBit(0);
                }
                if (slot <= 15) {
                    used.set(slot);
                    stores.add(new PagefileStore(slot, name, p.layer()));
                }
            }
        }
        for (OpenedEvidence.BackingFile b : evidenceCase.evidence().backing()) {
            if (b.slot() < 0) {
                int slot = usual(simpleName(b.name()));
                if (slot < 0 || used.get(slot)) {
                    slot = used.nextClearBit(0);
                }
                if (slot <= 15) {
                    used.set(slot);
                    stores.add(new PagefileStore(slot, simpleName(b.name()), b.layer()));
                }
            }
        }
        return stores;
    }

    private static int usual(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("pagefile") ? 0 : n.startsWith("swapfile") ? 1 : -1;
    }

    private static String simpleName(String name) {
        return name.replaceAll(".*[\\\\/]", "");
    }
}
