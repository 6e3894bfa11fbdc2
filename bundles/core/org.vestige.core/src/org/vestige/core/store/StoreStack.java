package org.vestige.core.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.vestige.core.layer.MissingCause;
import org.vestige.core.registry.BackingStoreDescriptor;

/**
 * The backing stores of one case, stacked from the contributed providers in their contribution order:
 * each provider builds its stores from the {@link StoreContext}, and every store is handed to the
 * engine's translator as soon as it is built, so a later provider (the memory-compression store, whose
 * regions live in a process's memory) reads through the stores before it (the paging files).
 *
 * <p>A provider the analyst switched off, or one that fails, still answers for the page-file numbers
 * the kernel's records give its page states: a store whose every page is {@link org.vestige.core.layer.PageProvenance.Missing}
 * with a {@link MissingCause.StoreUnavailable} cause, saying which store and why. So a page is never
 * reported as "paged out, supply the file" when the analyst supplied it and switched its reading off.
 *
 * @since 0.1
 */
public final class StoreStack {

    private final List<BackingStore> stores;
    private final Map<String, List<BackingStore>> byState;
    private final Map<String, MissingCause.StoreUnavailable> unavailable;
    private final List<String> notes;

    private StoreStack(List<BackingStore> stores, Map<String, List<BackingStore>> byState,
            Map<String, MissingCause.StoreUnavailable> unavailable, List<String> notes) {
        this.stores = stores;
        this.byState = byState;
        this.unavailable = unavailable;
        this.notes = notes;
    }

    /**
     * Builds the stores of every provider.
     *
     * @param providers the contributed providers, in the order they are to be built
     * @param context   what the providers build from
     * @param disabled  providers switched off, by contribution id or by a page state they resolve
     * @param register  receives each store as soon as it is built (the engine's translator)
     * @return the stack: the stores by page-file number, the unavailable ones with their causes, and a note
     *         of every decision
     */
    public static StoreStack build(List<BackingStoreDescriptor> providers, StoreContext context, Set<String> disabled,
            Consumer<BackingStore> register) {
        Objects.requireNonNull(register, "register");
        Map<Integer, BackingStore> bySlot = new LinkedHashMap<>();
        Map<String, List<BackingStore>> byState = new LinkedHashMap<>();
        Map<String, MissingCause.StoreUnavailable> unavailable = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (BackingStoreDescriptor descriptor : providers) {
            String off = disabled.contains(descriptor.id()) ? descriptor.id()
                    : descriptor.resolves().stream().filter(disabled::contains).findFirst().orElse(null);
            if (off != null) {
                notes.add("backing store " + descriptor.id() + " (" + descriptor.name() + ") switched off ("
                        + (PageStates.COMPRESSED.equals(off) ? "--no-compressed-store" : "--disable-store " + off)
                        + ")");
                answerUnavailable(descriptor, context, true, "store reading disabled", bySlot, unavailable, notes,
                        register);
                continue;
            }
            try {
                for (BackingStore store : descriptor.create().create(context)) {
                    register.accept(store);
                    bySlot.put(store.slot(), store);
                    for (String state : descriptor.resolves()) {
                        byState.computeIfAbsent(state, s -> new ArrayList<>()).add(store);
                    }
                    notes.add("backing store for page-file number " + store.slot() + ": " + store);
                    store.problems().forEach(p -> notes.add("warning: " + p));
                }
            } catch (StoreException | RuntimeException e) {
                String why = e instanceof StoreException ? e.getMessage() : e.toString();
                notes.add("backing store " + descriptor.id() + " (bundle " + descriptor.contributor() + ") cannot be "
                        + "opened: " + why);
                answerUnavailable(descriptor, context, false, "but the store cannot be read: " + why, bySlot,
                        unavailable, notes, register);
            }
        }
        List<BackingStore> stores = new ArrayList<>(bySlot.values());
        stores.sort(Comparator.comparingInt(BackingStore::slot));
        byState.replaceAll((k, v) -> List.copyOf(v));
        return new StoreStack(List.copyOf(stores), Map.copyOf(byState), Map.copyOf(unavailable), List.copyOf(notes));
    }

    /**
     * Registers, for a provider that does not answer, a store at each page-file number the kernel gives
     * its page states: the virtual store's number for {@link PageStates#COMPRESSED}. A provider of paging
     * files that does not answer leaves their pages paged out: supplying the file is still the remedy.
     */
    private static void answerUnavailable(BackingStoreDescriptor descriptor, StoreContext context, boolean disabled,
            String why, Map<Integer, BackingStore> bySlot, Map<String, MissingCause.StoreUnavailable> unavailable,
            List<String> notes, Consumer<BackingStore> register) {
        if (!descriptor.resolves().contains(PageStates.COMPRESSED)) {
            return;
        }
        int slot = context.kernelPagingFiles().stream().filter(PagingFileRecord::virtualStore)
                .mapToInt(PagingFileRecord::slot).findFirst().orElse(-1);
        if (slot < 0) {
            slot = 2;
            notes.add("the kernel's paging-file records name no virtual store; taking page-file number 2 for it");
        }
        String reason = "compressed, " + why;
        MissingCause.StoreUnavailable cause = new MissingCause.StoreUnavailable(slot, descriptor.id(), disabled,
                reason);
        int s = slot;
        BackingStore store = BackingStore.unavailable(cause, descriptor.name(), offset -> reason
                + " (virtual store page-file number " + s + ", page 0x" + Long.toHexString(offset >>> 12) + ")");
        register.accept(store);
        bySlot.put(slot, store);
        unavailable.put(PageStates.COMPRESSED, cause);
    }

    /** @return the stores registered, by page-file number, unreadable ones included */
    public List<BackingStore> stores() {
        return stores;
    }

    /** @return the readable stores that resolve a page state ({@link PageStates}) */
    public List<BackingStore> resolving(String state) {
        return byState.getOrDefault(state, List.of());
    }

    /** @return why the stores of a page state do not answer, when they were switched off or failed */
    public Optional<MissingCause.StoreUnavailable> unavailable(String state) {
        return Optional.ofNullable(unavailable.get(state));
    }

    /** @return the page states whose stores do not answer */
    public Collection<MissingCause.StoreUnavailable> unavailable() {
        return unavailable.values();
    }

    /** @return every decision taken, in order: stores built, switched off, failed, with their warnings */
    public List<String> notes() {
        return notes;
    }

    /** @return a stack with no stores, for a case whose kernel was not found */
    public static StoreStack empty() {
        return new StoreStack(List.of(), Map.of(), Map.of(), List.of());
    }
}
