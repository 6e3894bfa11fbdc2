package org.vestige.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.vestige.core.types.Profile;
import org.vestige.synth.internal.PagingFileWriter;
import org.vestige.synth.internal.Synthesis;

/**
 * Lays out the physical memory of a Windows x64 machine from a kernel profile and a seed: page
 * tables with the self-referencing entry, a kernel PE image carrying the profile's PDB identity,
 * {@code _KUSER_SHARED_DATA}, the KDBG block, the active-process and loaded-module lists at the
 * profile's symbol RVAs (or at chosen ones, reported through KDBG, when the profile has no symbols),
 * and a realistic set of processes each with its own address space, PEB, process parameters and
 * loader lists. Every structure is written field by field through the profile, so the image agrees
 * with an analysis engine only through the layouts and the documented Windows facts.
 *
 * <p>With {@link SynthOptions#compressedStore()} (builds 14393 and later) the image also has a
 * memory-compression store: SmGlobals in the first page of the kernel's
 * CACHEALI section, the code signature a reader without symbols finds it by in .text, MemCompression
 * with its own address space holding the compressed regions (some region pages paged out to
 * pagefile.sys, one in transition), and compressed pages in notepad.exe's image, in lsass.exe and in
 * explorer.exe (plus {@link SynthOptions#compressedPages()} bulk pages).
 *
 * <p>The layout is done by writers that mirror the readers (kernel image, processes, VADs, paging files,
 * compressed store, hives, smear, Virtual Secure Mode) over one model of the machine, in a fixed order.
 *
 * <p>Deterministic: the same profile, options and seed give the same bytes.
 *
 * @since 0.1
 */
public final class ImageSynthesizer {

    /** Where the kernel maps _KUSER_SHARED_DATA on x64. */
    public static final long KUSER_SHARED_DATA = 0xFFFFF78000000000L;

    private final Synthesis synthesis;

    /**
     * A page of a process whose PTE is invalid, placed to exercise translation: its expected
     * provenance kind and the bytes the page should read as (first 16).
     *
     * @param kind one of {@code transition}, {@code demand-zero}, {@code pagefile}, {@code prototype}
     * @since 0.1
     */
    public record PteSample(long pid, long dtb, long va, String kind, long pa, int slot, long fileOffset,
            byte[] marker) {
    }

    /**
     * Told as a synthesis begins each of its {@link #STAGES}, in order; a listener stops the synthesis by
     * throwing (a cancelled job's {@code OperationCanceledException}, say), which leaves the output folder
     * incomplete.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Progress {

        /** The stages of a synthesis, in the order they begin. */
        List<String> STAGES = List.of("kernel image", "processes", "registry hives", "compressed store",
                "VADs and process objects", "paging files, KDBG and smear", "writing the files");

        /** A listener that is told nothing. */
        Progress NONE = stage -> {
        };

        /** Called as the stage named {@code stage} (one of {@link #STAGES}) begins. */
        void begin(String stage);
    }

    public ImageSynthesizer(Profile profile, SynthOptions options) {
        int build = options.build() != 0 ? options.build() : profile.identity().build();
        if (build == 0) {
            throw new IllegalArgumentException("profile " + profile.source()
                    + " does not say its build; give one in SynthOptions");
        }
        if (profile.pointerSize() != 8) {
            throw new IllegalArgumentException("profile " + profile.source() + " is not x64");
        }
        this.synthesis = new Synthesis(profile, options, build);
    }

    /**
     * The result of {@link #synthesize}: the truth and where the files went ({@code swapfile} is null
     * unless {@link SynthOptions#swapfile()} asked for one).
     */
    public record Output(SynthTruth truth, Path image, Path isf, Path pagefile, List<PteSample> pteSamples,
            Map<Long, java.util.SortedMap<Long, Long>> userPtes, Path swapfile) {
    }

    /**
     * Builds the image and writes {@code image.raw}, {@code truth.json}, {@code image.isf.json.xz} and
     * {@code pagefile.sys} into {@code directory}.
     */
    public Output synthesize(Path directory) throws IOException {
        return synthesize(directory, Progress.NONE);
    }

    /**
     * As {@link #synthesize(Path)}, telling {@code progress} as each stage begins.
     *
     * @since 0.1
     */
    public Output synthesize(Path directory, Progress progress) throws IOException {
        return synthesis.synthesize(directory, progress);
    }

    /**
     * Writes what {@code procdump -ma} would have written of process {@code pid} of the image last
     * synthesized: a full-memory minidump of its true memory, the pages the image has paged out,
     * compressed or in transition included, and {@code FILE.truth.json} beside it (see
     * {@link ProcDumpWriter.Dump#toJson()}). Call after {@link #synthesize}.
     *
     * @throws IllegalArgumentException when no process with that pid was placed, or it has no user space
     */
    public ProcDumpWriter.Dump procDump(long pid, Path file) throws IOException {
        return synthesis.procDump(pid, file);
    }

    /**
     * @return the bytes of bulk page {@code index} (resident pages count from 0, paged-out pages from
     *         1 << 24): words from a generator seeded by both, so pages differ and do not compress
     */
    public static byte[] bulkPage(long seed, long index) {
        return PagingFileWriter.bulkPage(seed, index);
    }
}
