package org.vestige.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.vestige.core.registry.ProfileDescriptor;

/**
 * Chooses among the installed kernel profiles, without loading any: by PDB identity (name, GUID and age,
 * the kernel's own CodeView record), then by build and architecture. Kernel discovery uses it to read
 * only the profiles that can describe the kernel found; the synthesizer uses it to lay out a build.
 *
 * @since 0.1
 */
public final class ProfileMatcher {

    private final List<ProfileDescriptor> installed;

    /** @param installed the contributed profiles, as the host's extension registry lists them */
    public ProfileMatcher(List<ProfileDescriptor> installed) {
        this.installed = List.copyOf(installed);
    }

    /**
     * The profiles that can describe a kernel: those with its PDB identity first; then, of its build, the
     * types-only layouts and, when no installed profile has its identity, the {@value #NEAREST} kernels of
     * the build with the revisions nearest to its own (the newest first when its revision is not known);
     * when nothing of its build is installed, every x64 profile.
     *
     * <p>The other kernels of the build are left out when the exact kernel is installed: they lay out the
     * same types, and each one loaded costs start-up time.
     *
     * @param pdb      the kernel's PDB identity, or null when it could not be read
     * @param build    the kernel's build number, or 0 when unknown
     * @param revision the kernel's file revision, or 0 when unknown
     * @param notes    receives a sentence for each decision (matched, not matched, falling back)
     * @return the candidates, best first
     */
    public List<ProfileDescriptor> forKernel(PdbIdentity pdb, int build, int revision, List<String> notes) {
        List<ProfileDescriptor> chosen = new ArrayList<>();
        if (pdb != null) {
            for (ProfileDescriptor d : installed) {
                if (d.pdbGuid() != null && d.pdbGuid().equalsIgnoreCase(pdb.guid()) && d.pdbAge() == pdb.age()
                        && (d.pdbName() == null || d.pdbName().equalsIgnoreCase(pdb.name()))) {
                    chosen.add(d);
                }
            }
            notes.add(chosen.isEmpty() ? "no installed profile has the kernel's PDB identity " + pdb
                    : "installed profile with the kernel's PDB identity: " + chosen.get(0).id());
        }
        if (build != 0) {
            if (chosen.isEmpty()) {
                List<ProfileDescriptor> nearest = nearest(build, revision);
                if (!nearest.isEmpty()) {
                    notes.add("the exact kernel is not installed; the types come from the kernel of build " + build
                            + " with the revision nearest to " + (revision == 0 ? "the newest (the kernel's own "
                                    + "revision is not known)" : "the kernel's " + revision) + ": " + describe(nearest
                                            .get(0)) + (nearest.size() > 1 ? ", then " + nearest.subList(1, nearest
                                                    .size()).stream().map(ProfileMatcher::describe).toList() : "")
                            + "; its symbols do not apply, so the kernel variables are found without them. Add the "
                            + "exact kernel's profile with profiles.import (see docs/profile-bundles.md)");
                }
                chosen.addAll(nearest);
            }
            for (ProfileDescriptor d : installed) {
                if (d.build() == build && isX64(d) && d.pdbGuid() == null && !chosen.contains(d)) {
                    chosen.add(d);
                }
            }
        }
        if (chosen.isEmpty()) {
            notes.add("no installed profile matches build " + build + "; trying every installed x64 profile");
            installed.stream().filter(ProfileMatcher::isX64).forEach(chosen::add);
        }
        return chosen;
    }

    /** How many kernels of the build discovery tries when the exact kernel is not installed. */
    public static final int NEAREST = 2;

    /** @return the build's kernels with a PDB identity, nearest revision first (newest first when unknown) */
    private List<ProfileDescriptor> nearest(int build, int revision) {
        Comparator<ProfileDescriptor> order = revision == 0 ? Comparator.comparingInt(ProfileDescriptor::revision)
                .reversed() : Comparator.comparingInt((ProfileDescriptor d) -> Math.abs(d.revision() - revision))
                        .thenComparing(Comparator.comparingInt(ProfileDescriptor::revision).reversed());
        return installed.stream().filter(d -> d.build() == build && isX64(d) && d.pdbGuid() != null).sorted(order)
                .limit(NEAREST).toList();
    }

    private static String describe(ProfileDescriptor d) {
        return d.id() + (d.revision() == 0 ? "" : " (revision " + d.revision() + ")");
    }

    /**
     * @return the installed x64 profile of a build, one that records a PDB identity preferred (a full
     *         symbol table rather than types alone)
     */
    public Optional<ProfileDescriptor> forBuild(int build) {
        return installed.stream().filter(d -> d.build() == build && isX64(d)).sorted(Comparator.comparing(
                (ProfileDescriptor d) -> d.pdbGuid() == null)).findFirst();
    }

    private static boolean isX64(ProfileDescriptor d) {
        return "x64".equals(d.architecture().toLowerCase(Locale.ROOT));
    }
}
