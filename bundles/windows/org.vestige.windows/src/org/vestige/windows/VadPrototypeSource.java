package org.vestige.windows;

/**
 * Finds the prototype PTE behind a user page whose own PTE only says "look in the VAD" (a zero PTE
 * in a committed mapped range, or the VAD marker {@code ProtoAddress 0xFFFFFFFF0000}): the entry of
 * the VAD's prototype array at {@code (va − vaStart) >> 12}. Plugged into an {@link X64Translator}
 * once the process's VAD tree can be read.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface VadPrototypeSource {

    /**
     * @param dtb the address space's directory table base
     * @param va  the user virtual address
     * @return the kernel virtual address of the prototype PTE, or -1 when no VAD covers {@code va}
     */
    long prototypePteAddress(long dtb, long va);
}
