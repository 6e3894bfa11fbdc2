package org.vestige.core.registry;

import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.IConfigurationElement;
import org.vestige.core.store.BackingStoreProvider;

/**
 * A backing-store provider contributed to {@code org.vestige.core.backingStores}.
 *
 * @since 0.1
 */
public final class BackingStoreDescriptor extends Contribution {

    private final String id;
    private final String name;
    private final List<String> resolves;

    BackingStoreDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        this.id = required("id");
        this.name = optional("name", id);
        this.resolves = Arrays.stream(required("resolves").split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        required("class");
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** @return the page states it resolves: {@code pagefile}, {@code swapfile}, {@code compressed}… */
    public List<String> resolves() {
        return resolves;
    }

    public BackingStoreProvider create() {
        return create("class", BackingStoreProvider.class);
    }
}
