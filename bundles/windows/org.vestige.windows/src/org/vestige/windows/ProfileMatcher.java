package org.vestige.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.vestige.core.registry.ProfileDescriptor;

/**
 * Chooses among the installed profiles, without loading any: by PDB identity (name, GUID and age, the image's
 * own CodeView record), then by build and architecture. Kernel discovery uses it to read only the profiles
 * that can describe the kernel found; the synthesizer uses it to lay out a build; an analysis uses
 * {@link #forModule} to get the symbols of a loaded driver (tcpip.sys for netstat) by the identity
 * {@link PdbIdentity#ofImage} reads from the driver's image.
 *
 * <p>Kernel matching considers only {@linkplain #describesKernel kernel profiles}: a driver's symbols never
 * stand in for a kernel's, even of the same build.
 *
 * @since 0.1
 */
public final class ProfileMatcher {

    private final List<ProfileDescriptor> installed;
    private final List<ProfileDescriptor> kernels;

    /** @param installed the contributed profiles, as the host's extension registry lists them */
    public ProfileMatcher(List<ProfileDescriptor> installed) {
        this.installed = List.copyOf(installed);
        this.kernels = this.installed.stream().filter(ProfileMatcher::describesKernel).toList();
    }

    /**
     * @return true for a kernel's profile: a types-only layout (no PDB name) or one made from a kernel's PDB
     *         ({@code ntkrnlmp.pdb}, {@code ntoskrnl.pdb}, {@code ntkrnlpa.pdb}, {@code ntkrpamp.pdb}); false for
     *         a driver's
     */
    public static boolean describesKernel(ProfileDescriptor d) {
        return d.pdbName() == null || KernelImageFinder.KERNEL_PDBS.contains(d.pdbName().toLowerCase(Locale.ROOT));
    }

    /**
     * The profiles that can describe a kernel: those with its PDB identity first; then, of its build, the
     * types-only layouts and, when no installed profile has its identity, the {@value #NEAREST} kernels of
     * the build with the revisions nearest to its own (the newest first when its revision is not known).
     * When nothing has its identity or its build, none: discovery ranks candidates by those two alone, so
     * any other profile would be parsed (a real kernel's table takes tens of megabytes of heap) only to be
     * passed over, and an image with no kernel in it would load every installed kernel to find that out.
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
            for (ProfileDescriptor d : kernels) {
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
            for (ProfileDescriptor d : kernels) {
                if (d.build() == build && isX64(d) && d.pdbGuid() == null && !chosen.contains(d)) {
                    chosen.add(d);
                }
            }
        }
        if (chosen.isEmpty()) {
            notes.add(pdb == null && build == 0 ? "the kernel's PDB identity and build are not known, so no installed "
                    + "profile can be matched to it" : "no installed profile has the kernel's PDB identity or build "
                            + build + "; add its profile with profiles.import (see docs/profile-bundles.md)");
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
        return kernels.stream().filter(d -> d.build() == build && isX64(d) && d.pdbGuid() != null).sorted(order)
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
        return kernels.stream().filter(d -> d.build() == build && isX64(d)).sorted(Comparator.comparing(
                (ProfileDescriptor d) -> d.pdbGuid() == null)).findFirst();
    }

    /**
     * A driver's profile chosen for a loaded module.
     *
     * @param profile the chosen profile: read it with {@link ProfileDescriptor#load()}, which reads no other
     * @param exact   true when it has the module's PDB identity; false when it is another build's of the same
     *                driver, whose RVAs are that build's: check what they point at before trusting them
     * @param reason  which profile was chosen and why, for people
     * @since 0.1
     */
    public record ModuleMatch(ProfileDescriptor profile, boolean exact, String reason) {
    }

    /**
     * The symbols of a loaded driver (or any image whose PDB has installed profiles): the installed profile with
     * its PDB identity; failing that, the installed profile of the same PDB name whose build is nearest to
     * {@code build} (profiles whose build is not recorded after those whose is), then whose revision is nearest
     * to {@code revision} (the newest when it is 0). Nothing is read: the choice is made from the bundles'
     * declarations.
     *
     * @param pdb      the module's PDB identity, from its CodeView record ({@link PdbIdentity#ofImage})
     * @param build    the module's (or the kernel's) build, or 0 when unknown
     * @param revision the module's file revision, or 0 when unknown
     * @return the profile, or empty when none of that PDB name is installed
     */
    public Optional<ModuleMatch> forModule(PdbIdentity pdb, int build, int revision) {
        List<ProfileDescriptor> named = installed.stream().filter(d -> d.pdbGuid() != null && d.pdbName() != null
                && d.pdbName().equalsIgnoreCase(pdb.name())).toList();
        for (ProfileDescriptor d : named) {
            if (d.pdbGuid().equalsIgnoreCase(pdb.guid()) && d.pdbAge() == pdb.age()) {
                return Optional.of(new ModuleMatch(d, true, "installed profile with " + pdb.key() + ": " + d.id()));
            }
        }
        Comparator<ProfileDescriptor> order = Comparator.comparing((ProfileDescriptor d) -> d.build() == 0);
        if (build != 0) {
            order = order.thenComparingInt(d -> Math.abs(d.build() - build));
        }
        order = revision == 0 ? order.thenComparing(Comparator.comparingInt(ProfileDescriptor::revision).reversed())
                : order.thenComparingInt(d -> Math.abs(d.revision() - revision));
        return named.stream().sorted(order.thenComparing(ProfileDescriptor::id)).findFirst().map(d -> new ModuleMatch(
                d, false, pdb.key() + " is not installed; standing in: " + d.id() + " (" + (d.build() == 0
                        ? "build not recorded" : "build " + d.build()) + (d.revision() == 0 ? ""
                                : ", revision " + d.revision()) + "), of the " + named.size() + " installed "
                        + pdb.name().toLowerCase(Locale.ROOT) + " profiles the one " + (build == 0
                                ? "first by build and revision" : "whose build is nearest to " + build)
                        + "; its RVAs are that build's, so what they point at must be checked. Add the exact one "
                        + "with profiles.import (see docs/profile-bundles.md)"));
    }

    private static boolean isX64(ProfileDescriptor d) {
        return "x64".equals(d.architecture().toLowerCase(Locale.ROOT));
    }
}
