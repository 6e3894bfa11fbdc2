package org.vestige.windows;

import org.vestige.core.types.Profile;

/**
 * What the analyst already knows: each hint is optional (0 or null when not given). A hint is
 * tried first and still validated; when it does not validate, discovery says so and falls back.
 *
 * @param dtb        a directory table base, or 0
 * @param kernelBase the kernel image's virtual address, or 0
 * @param profile    a profile to try before any other, or null
 * @since 0.1
 */
public record LocatorHints(long dtb, long kernelBase, Profile profile) {

    /** @return no hints */
    public static LocatorHints none() {
        return new LocatorHints(0, 0, null);
    }

    public LocatorHints withProfile(Profile p) {
        return new LocatorHints(dtb, kernelBase, p);
    }

    public LocatorHints withDtb(long value) {
        return new LocatorHints(value, kernelBase, profile);
    }
}
