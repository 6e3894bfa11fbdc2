package org.vestige.windows;

import java.util.EnumSet;
import java.util.Set;

import org.vestige.core.types.Profile;

/**
 * What the analyst already knows: each hint is optional (0 or null when not given). A hint is
 * tried first and still validated; when it does not validate, discovery says so and falls back.
 *
 * @param dtb        a directory table base, or 0
 * @param kernelBase the kernel image's virtual address, or 0
 * @param profile    a profile to try before any other, or null
 * @param methods    the discovery methods to run; a stage (DTB, kernel image) none of whose methods is
 *                   named runs all of its methods
 * @since 0.1
 */
public record LocatorHints(long dtb, long kernelBase, Profile profile, Set<DiscoveryMethod> methods) {

    public LocatorHints {
        methods = methods == null || methods.isEmpty() ? Set.of() : Set.copyOf(methods);
    }

    public LocatorHints(long dtb, long kernelBase, Profile profile) {
        this(dtb, kernelBase, profile, Set.of());
    }

    /** @return no hints */
    public static LocatorHints none() {
        return new LocatorHints(0, 0, null);
    }

    public LocatorHints withProfile(Profile p) {
        return new LocatorHints(dtb, kernelBase, p, methods);
    }

    public LocatorHints withDtb(long value) {
        return new LocatorHints(value, kernelBase, profile, methods);
    }

    /**
     * @return these hints with only the named methods run in their stages (the other stage, when none of
     *         its methods is named, runs all of its methods)
     */
    public LocatorHints only(DiscoveryMethod... named) {
        Set<DiscoveryMethod> set = EnumSet.noneOf(DiscoveryMethod.class);
        set.addAll(java.util.List.of(named));
        return new LocatorHints(dtb, kernelBase, profile, set);
    }

    /** @return whether discovery runs {@code method} */
    public boolean runs(DiscoveryMethod method) {
        return methods.contains(method) || methods.stream().noneMatch(m -> m.stage() == method.stage());
    }
}
