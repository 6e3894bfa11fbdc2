package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.FieldPath;

/**
 * Checks whether a process is what its PEB says it is: the executable the PEB names
 * ({@code ProcessParameters.ImagePathName} and the first entry of the load-order list) against what is
 * mapped at the image base ({@code PEB.ImageBaseAddress}, which {@code _EPROCESS.SectionBaseAddress} must
 * match) and against {@code _EPROCESS.ImageFileName}. A hollowed process — its image unmapped and replaced
 * by a payload written into memory — shows an image base in private memory rather than an image mapping
 * (the classic sign), or an image mapping of another file; a masquerading process shows names that
 * disagree.
 *
 * @since 0.1
 */
public final class HollowedProcess {

    /**
     * What a process's image base holds against what its PEB says.
     *
     * @param imageBase   PEB.ImageBaseAddress, or why it could not be read
     * @param sectionBase _EPROCESS.SectionBaseAddress, or why it is not known
     * @param imagePath   ProcessParameters.ImagePathName, or why it could not be read
     * @param loaderPath  FullDllName of the load-order list's first entry, or why it could not be read
     * @param vad         the VAD holding the image base, or null when none does (or the base is unknown)
     * @param signs       each disagreement found, in the analyst's words; empty for a consistent process
     * @since 0.1
     */
    public record Verdict(Readout<Long> imageBase, Readout<Long> sectionBase, Readout<String> imagePath,
            Readout<String> loaderPath, WinVad vad, List<String> signs) {

        public Verdict {
            signs = List.copyOf(signs);
        }

        /** @return whether any sign of hollowing or masquerading was found */
        public boolean hollowed() {
            return !signs.isEmpty();
        }
    }

    private final Profile profile;
    private final MemoryReader kernel;
    private final int sectionBase;

    /** @param kernel the kernel address space (the _EPROCESS) */
    public HollowedProcess(X64Layer kernel, Profile profile) {
        this.profile = Objects.requireNonNull(profile);
        this.kernel = new MemoryReader(Objects.requireNonNull(kernel));
        this.sectionBase = FieldPath.offsetOrMinus1(profile, "_EPROCESS", "SectionBaseAddress");
    }

    /**
     * Compares what the PEB of a process with user space says with its VADs and _EPROCESS.
     *
     * @param process the process (its PEB must be non-zero)
     * @param layer   its address space
     * @param vads    its VAD walk
     * @throws java.util.NoSuchElementException naming a PEB or loader field the profile lacks
     */
    public Verdict check(WinProcess process, Layer layer, VadList vads) {
        PebReader peb = new PebReader(layer, profile);
        ProcessEnvironment env = peb.read(process.peb());
        Readout<Long> base = env.imageBase();
        Readout<Long> section = sectionBase < 0 ? Readout.missing("profile " + profile.source()
                + " has no _EPROCESS.SectionBaseAddress") : kernel.qword(process.eprocess() + sectionBase,
                        "_EPROCESS.SectionBaseAddress");
        Readout<WinModule> first = peb.modules(process.peb(), ModuleWalker.Order.LOAD).flatMap(l -> l.modules()
                .isEmpty() ? Readout.missing("the load-order list is empty") : Readout.of(l.modules().get(0)));
        Readout<String> loaderPath = first.flatMap(WinModule::fullName);
        Readout<String> imagePath = env.imagePath();
        List<String> signs = new ArrayList<>();
        WinVad vad = null;
        if (base.isPresent() && base.get() != 0) {
            long b = base.get();
            vad = vads.find(b);
            image(b, vad, imagePath, vads, signs);
            if (section.isPresent() && section.get() != 0 && section.get() != b) {
                signs.add("_EPROCESS.SectionBaseAddress " + hex(section.get()) + " is not PEB.ImageBaseAddress "
                        + hex(b));
            }
            if (first.isPresent() && first.get().base() != b) {
                signs.add("the load-order list's first module is at " + hex(first.get().base())
                        + ", not at the image base " + hex(b));
            }
        }
        if (imagePath.isPresent() && loaderPath.isPresent() && !samePath(imagePath.get(), loaderPath.get())) {
            signs.add("the load-order list's first module is " + loaderPath.get() + ", not the image path "
                    + imagePath.get());
        }
        if (imagePath.isPresent() && !imagePath.get().isEmpty() && !baseName(imagePath.get()).startsWith(process
                .name().toLowerCase(Locale.ROOT))) {
            signs.add("_EPROCESS.ImageFileName " + process.name() + " is not the image path's file name "
                    + imagePath.get());
        }
        return new Verdict(base, section, imagePath, loaderPath, vad, signs);
    }

    private static void image(long base, WinVad vad, Readout<String> imagePath, VadList vads, List<String> signs) {
        if (vad == null) {
            if (vads.warnings().isEmpty()) {
                signs.add("no VAD holds the image base " + hex(base));
            }
            return;
        }
        if (vad.privateMemory()) {
            signs.add("the image base " + hex(base) + " lies in private memory (" + vad.protectionName()
                    + "), not in an image mapping");
        } else if (!vad.image()) {
            signs.add("the image base " + hex(base) + " lies in a mapped section that is not an image" + (vad.file()
                    != null && vad.file().isPresent() ? " (" + vad.file().get() + ")" : ""));
        } else if (vad.file() != null && vad.file().isPresent() && imagePath.isPresent() && !samePath(vad.file()
                .get(), imagePath.get())) {
            signs.add("the image VAD maps " + vad.file().get() + ", not the image path " + imagePath.get());
        }
    }

    /**
     * @return whether two names of a file denote the same path, ignoring case, a drive letter, the
     *         {@code \??\} prefix, a {@code \Device\HarddiskVolumeN} prefix and {@code \SystemRoot}
     */
    public static boolean samePath(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String path) {
        String p = path.toLowerCase(Locale.ROOT).replace('/', '\\');
        if (p.startsWith("\\??\\")) {
            p = p.substring(4);
        }
        if (p.length() >= 2 && p.charAt(1) == ':') {
            p = p.substring(2);
        }
        if (p.startsWith("\\device\\harddiskvolume")) {
            int slash = p.indexOf('\\', 1 + "\\device\\".length());
            p = slash < 0 ? "" : p.substring(slash);
        }
        if (p.startsWith("\\systemroot\\")) {
            p = "\\windows\\" + p.substring("\\systemroot\\".length());
        }
        return p;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
    }
}
