package org.vestige.windows;

import java.util.Optional;

import org.vestige.core.types.Profile;

/**
 * What kernel discovery established about a memory image. Values it could not establish are 0
 * (addresses, build) or null (pdb, profile, kernel); {@link #report()} says why.
 *
 * @param dtb                 the kernel (System) directory table base
 * @param selfMapIndex        the self-referencing top-level entry, or -1
 * @param kernelBase          the kernel image's virtual address
 * @param kernelSize          its SizeOfImage
 * @param pdb                 the PDB named by the kernel's RSDS record
 * @param build               the Windows build number
 * @param kdbg                virtual address of the KDBG block, or 0
 * @param kdbgEncoded         whether the block was encoded
 * @param psActiveProcessHead virtual address of the process list head
 * @param psLoadedModuleList  virtual address of the kernel module list head
 * @param profile             the profile that validated against the image
 * @param kernel              the kernel address space (with the profile's PTE layout when one validated)
 * @param report              every attempt and its outcome
 * @since 0.1
 */
public record KernelDiscovery(long dtb, int selfMapIndex, long kernelBase, int kernelSize, PdbIdentity pdb,
        int build, long kdbg, boolean kdbgEncoded, long psActiveProcessHead, long psLoadedModuleList,
        Profile profile, X64Layer kernel, DiscoveryReport report) {

    /** @return true when a profile validated and the process list head is known */
    public boolean complete() {
        return profile != null && kernel != null && psActiveProcessHead != 0;
    }

    public Optional<Profile> selectedProfile() {
        return Optional.ofNullable(profile);
    }

    /**
     * @return true when the selected profile is the kernel's own: its PDB identity is the one the kernel image's
     *         RSDS record names, so its symbols' RVAs apply to this image (another kernel's profile may still
     *         supply the types of its build)
     * @since 0.1
     */
    public boolean ownProfile() {
        return profile != null && pdb != null && profile.identity().matches(pdb.name(), pdb.guid(), pdb.age());
    }

    /**
     * @return the address of a kernel symbol from the profile, or why it is not known: the profile has no such
     *         symbol, or it is not the kernel's own (its PDB identity does not match the image's), so its RVAs do
     *         not apply
     * @since 0.1
     */
    public Readout<Long> symbol(String name) {
        if (profile == null) {
            return Readout.missing("no profile validated against the image, so no symbol " + name + " is known");
        }
        var rva = profile.symbol(name);
        if (rva.isEmpty()) {
            return Readout.missing("profile " + profile.source() + " has no symbol " + name);
        }
        if (!ownProfile()) {
            return Readout.missing("profile " + profile.source() + " is not the kernel's own (its PDB does not match),"
                    + " so its symbol " + name + " does not apply");
        }
        return Readout.of(kernelBase + rva.get());
    }
}
