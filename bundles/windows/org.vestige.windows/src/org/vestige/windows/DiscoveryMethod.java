package org.vestige.windows;

/**
 * A way kernel discovery finds the kernel's directory table base or its image. Each can be run on its own
 * ({@link LocatorHints#only(DiscoveryMethod...)}), so that an analyst can see what one method finds and a test
 * can show that every method finds the same kernel.
 *
 * @since 0.1
 */
public enum DiscoveryMethod {

    /** DTB: the low stub's {@code _PROCESSOR_START_BLOCK} in physical 0x1000–0x9F000 (its Cr3). */
    LOW_STUB(Stage.DTB),
    /** DTB: a top-level table whose entry points at itself. */
    SELF_MAP(Stage.DTB),
    /** Kernel image: an MZ/PE with a POOLCODE section, on 2 MiB boundaries, then on 4 KiB pages. */
    POOLCODE(Stage.KERNEL_IMAGE),
    /** Kernel image: an RSDS record naming a kernel PDB, walked back to the image header that names it. */
    RSDS(Stage.KERNEL_IMAGE),
    /** Kernel image: a plain KDBG block ({@code _KDDEBUGGER_DATA64}, OwnerTag 'KDBG'), whose KernBase is it. */
    KDBG(Stage.KERNEL_IMAGE),
    /** Kernel image: a PE whose export directory names ntoskrnl and exports PsLoadedModuleList. */
    EXPORTS(Stage.KERNEL_IMAGE);

    /** What a method finds. */
    public enum Stage {
        /** the kernel's directory table base */
        DTB,
        /** the kernel image's base */
        KERNEL_IMAGE
    }

    private final Stage stage;

    DiscoveryMethod(Stage stage) {
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}
