package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;

import org.vestige.core.layer.Layer;

/**
 * Says what a code address of a process lies in: a module on a loader list, an image mapped without
 * being on one, private or file-backed memory, or nothing at all. A user address is judged by the
 * process's VADs (an image VAD is what the loader maps a module as) and named by its loader-list module;
 * a kernel address by the kernel's loaded-module list. Thread start addresses outside every image are
 * the classic sign of injected code.
 *
 * @since 0.1
 */
public final class AddressOwners {

    /** What kind of memory an address lies in. */
    public enum Kind {
        /** a module on the process's loader list, in its image VAD */
        MODULE,
        /** an image VAD whose base is on no loader list the owner was given */
        UNLISTED_IMAGE,
        /** a private VAD (allocated memory: heap, stack, VirtualAlloc) */
        PRIVATE,
        /** a VAD mapping a file or section that is not an image */
        MAPPED,
        /** a user address in no VAD */
        NO_VAD,
        /** a module on PsLoadedModuleList */
        KERNEL_MODULE,
        /** a kernel address in no loaded kernel module */
        NO_KERNEL_MODULE,
        /** the address is zero */
        NONE,
        /** not known: the VADs or the kernel modules could not be read */
        UNKNOWN
    }

    /**
     * Where an address lies.
     *
     * @param kind what it lies in
     * @param name the module's name, the mapped file's name, or why the kind is {@link Kind#UNKNOWN}; null
     *             when there is none
     * @param vad  the VAD holding it, or null for a kernel address or one in no VAD
     * @since 0.1
     */
    public record Owner(Kind kind, String name, WinVad vad) {

        /** @return whether the address lies outside every mapped image (and the kernel's modules) */
        public boolean outsideImages() {
            return kind == Kind.PRIVATE || kind == Kind.MAPPED || kind == Kind.NO_VAD || kind == Kind.NO_KERNEL_MODULE;
        }

        /** @return what an analyst reads: the module's name, or the memory the address lies in */
        public String describe() {
            return switch (kind) {
                case MODULE, KERNEL_MODULE -> name;
                case UNLISTED_IMAGE -> "image " + name + " (on no loader list)";
                case PRIVATE -> "private memory " + range();
                case MAPPED -> "mapped " + (name != null ? name : "section") + " " + range();
                case NO_VAD -> "no VAD";
                case NO_KERNEL_MODULE -> "no kernel module";
                case NONE -> "";
                case UNKNOWN -> "unknown: " + name;
            };
        }

        private String range() {
            return hex(vad.start()) + "-" + hex(vad.end()) + " " + vad.protectionName();
        }
    }

    private final List<WinModule> kernelModules;
    private final String kernelModulesMissing;
    private final List<WinModule> modules;
    private final VadList vads;
    private final List<String> warnings;

    /**
     * @param kernelModules the walk of PsLoadedModuleList; a walk that found nothing makes kernel
     *                      addresses {@link Kind#UNKNOWN}
     * @param modules       the process's modules from its loader list, or null when the list could not
     *                      be read (image VADs are then named by their file)
     * @param vads          the process's VADs, or null for a process without user space
     * @param warnings      what went wrong reading the process's modules and VADs
     */
    public AddressOwners(ModuleList kernelModules, List<WinModule> modules, VadList vads, List<String> warnings) {
        this.kernelModules = kernelModules.modules();
        this.kernelModulesMissing = kernelModules.modules().isEmpty() ? "PsLoadedModuleList could not be walked"
                + (kernelModules.warnings().isEmpty() ? "" : " (" + kernelModules.warnings().get(0) + ")") : null;
        this.modules = modules == null ? null : List.copyOf(modules);
        this.vads = vads;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads what a process's addresses are judged by: its load-order module list (through its PEB) and
     * its VAD tree.
     *
     * @param kernelModules the walk of PsLoadedModuleList (see {@link #kernelModules(WindowsKernel)})
     * @throws java.util.NoSuchElementException naming a VAD or loader field the profile lacks
     */
    public static AddressOwners of(WindowsKernel kernel, WinProcess process, ModuleList kernelModules) {
        if (process.peb() == 0) {
            return new AddressOwners(kernelModules, List.of(), null, List.of());
        }
        List<String> warnings = new ArrayList<>();
        Layer layer = kernel.processLayers().layer(process);
        Readout<ModuleList> list = new PebReader(layer, kernel.discovery().profile()).modules(process.peb(),
                ModuleWalker.Order.LOAD);
        List<WinModule> modules = null;
        if (list.isPresent()) {
            modules = list.get().modules();
            warnings.addAll(list.get().warnings());
        } else {
            warnings.add("loader list not read: " + list.reason());
        }
        VadList vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile()).walk(process
                .eprocess());
        warnings.addAll(vads.warnings());
        return new AddressOwners(kernelModules, modules, vads, warnings);
    }

    /** @return the walk of the kernel's PsLoadedModuleList, or an empty one saying why there is none */
    public static ModuleList kernelModules(WindowsKernel kernel) {
        long head = kernel.discovery().psLoadedModuleList();
        if (head == 0) {
            return new ModuleList(List.of(), List.of("PsLoadedModuleList was not found (see windows.info)"),
                    List.of());
        }
        return ModuleWalker.kernel(kernel.discovery().kernel(), kernel.discovery().profile()).walk(head);
    }

    /** @return what went wrong reading the process's modules and VADs */
    public List<String> warnings() {
        return warnings;
    }

    /** @return where {@code va} lies */
    public Owner of(long va) {
        if (va == 0) {
            return new Owner(Kind.NONE, null, null);
        }
        if (va < 0) {
            WinModule m = find(kernelModules, va);
            if (m != null) {
                return new Owner(Kind.KERNEL_MODULE, m.baseName().orElse(hex(m.base())), null);
            }
            return kernelModulesMissing != null ? new Owner(Kind.UNKNOWN, kernelModulesMissing, null)
                    : new Owner(Kind.NO_KERNEL_MODULE, null, null);
        }
        WinVad vad = vads == null ? null : vads.find(va);
        if (vad == null) {
            if (vads == null || !vads.warnings().isEmpty()) {
                return new Owner(Kind.UNKNOWN, vads == null ? "the process has no user address space"
                        : "its VAD tree is damaged (" + vads.warnings().get(0) + ")", null);
            }
            return new Owner(Kind.NO_VAD, null, null);
        }
        String file = vad.file() != null ? vad.file().orElse(null) : null;
        if (vad.image()) {
            if (modules == null) {
                return new Owner(Kind.MODULE, file != null ? file.substring(file.lastIndexOf('\\') + 1)
                        : hex(vad.start()), vad);
            }
            WinModule m = find(modules, va);
            return m != null ? new Owner(Kind.MODULE, m.baseName().orElse(file != null ? file : hex(m.base())), vad)
                    : new Owner(Kind.UNLISTED_IMAGE, file != null ? file : hex(vad.start()), vad);
        }
        return vad.privateMemory() ? new Owner(Kind.PRIVATE, null, vad) : new Owner(Kind.MAPPED, file, vad);
    }

    private static WinModule find(List<WinModule> list, long va) {
        for (WinModule m : list) {
            if (m.contains(va)) {
                return m;
            }
        }
        return null;
    }
}
