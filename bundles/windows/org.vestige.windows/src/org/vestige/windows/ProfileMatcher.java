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
     * The profiles that can describe a kernel: those with its PDB identity first, then those of its
     * build; when neither matches, every x64 profile.
     *
     * @param pdb   the kernel's PDB identity, or null when it could not be read
     * @param build the kernel's build number, or 0 when unknown
     * @param notes receives a sentence for each decision (matched, not matched, falling back)
     * @return the candidates, best first
     */
    public List<ProfileDescriptor> forKernel(PdbIdentity pdb, int build, List<String> notes) {
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
            for (ProfileDescriptor d : installed) {
                if (d.build() == build && isX64(d) && !chosen.contains(d)) {
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
