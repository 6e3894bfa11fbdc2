package org.vestige.layer.crashdump;

/**
 * Which address space a dump's layer spans. A complete, kernel or bitmap crash dump holds physical
 * memory; a triage dump holds only selected kernel virtual ranges; a minidump holds ranges of one
 * process's virtual address space. Kernel discovery needs to know which, because a directory table
 * base only means something over physical memory.
 *
 * @since 0.1
 */
public enum AddressSpace {

    /** Physical memory, addressed by physical address (page frame number × 4096). */
    PHYSICAL("physical"),

    /** The kernel's virtual address space (canonical 64-bit or 32-bit kernel addresses). */
    KERNEL_VIRTUAL("kernel virtual"),

    /** One user-mode process's virtual address space. */
    PROCESS_VIRTUAL("process virtual");

    private final String label;

    AddressSpace(String label) {
        this.label = label;
    }

    /** @return a short label such as {@code "kernel virtual"} */
    public String label() {
        return label;
    }
}
