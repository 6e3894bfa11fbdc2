package org.vestige.registry;

import java.util.List;
import java.util.Optional;

/**
 * The result of walking the configuration manager's hive list: the hives in list order and every
 * inconsistency met on the way, each naming the structure concerned.
 *
 * @param hives    the hives whose {@code _HHIVE.Signature} is right, in list order
 * @param rejected entries linked into the list that are not hives (wrong signature), in list order
 * @param warnings broken links, cycles, unreadable entries, in the order met
 * @param complete whether the forward walk came back to the list head
 * @since 0.1
 */
public record HiveListing(List<LoadedHive> hives, List<LoadedHive> rejected, List<String> warnings,
        boolean complete) {

    public HiveListing {
        hives = List.copyOf(hives);
        rejected = List.copyOf(rejected);
        warnings = List.copyOf(warnings);
    }

    /** @return the first hive that is the machine hive {@code name} (see {@link LoadedHive#isMachineHive}) */
    public Optional<LoadedHive> machineHive(String name) {
        return hives.stream().filter(h -> h.isMachineHive(name)).findFirst();
    }
}
