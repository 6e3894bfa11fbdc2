package org.vestige.windows;

import java.util.Objects;

import org.vestige.core.types.Profile;

/**
 * Makes the address spaces of processes with every kind of page resolved: resident, transition,
 * paging file (through the stores registered on the kernel's {@link X64Translator}), and prototype
 * PTEs — also those a page's own PTE leaves to the process's VADs, through {@link VadPrototypes},
 * which this factory plugs into the translator.
 *
 * @since 0.1
 */
public final class ProcessLayers {

    private final X64Layer kernel;
    private final VadPrototypes prototypes;

    /**
     * @param kernel the kernel address space
     * @throws java.util.NoSuchElementException naming the VAD field the profile lacks
     */
    public ProcessLayers(X64Layer kernel, Profile profile) {
        this.kernel = Objects.requireNonNull(kernel);
        this.prototypes = VadPrototypes.install(kernel, profile);
        SubsectionFiles.install(kernel, profile);
    }

    /** @return the process's address space */
    public X64Layer layer(WinProcess p) {
        return layer(p.name() + " (pid " + p.pid() + ") virtual", p.dtb(), p.eprocess());
    }

    /**
     * @param dtb      the process's directory table base
     * @param eprocess its _EPROCESS, whose VAD tree answers for pages kept in the VAD
     * @return the process's address space
     */
    public X64Layer layer(String name, long dtb, long eprocess) {
        prototypes.add(dtb, eprocess);
        return kernel.translator().layer(name, dtb);
    }

    public VadPrototypes prototypes() {
        return prototypes;
    }
}
