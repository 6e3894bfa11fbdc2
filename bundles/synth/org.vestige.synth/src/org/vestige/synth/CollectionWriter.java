package org.vestige.synth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZMethod;
import org.apache.commons.compress.archivers.sevenz.SevenZMethodConfiguration;
import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.tukaani.xz.LZMA2Options;
import org.vestige.synth.internal.Json;

/**
 * Writes the folder a responder brings back from a live machine with Vestige's acquisition kit: the
 * memory image and its paging file, one 7z archive per ProcDump {@code -ma} dump of each process with a
 * user address space, and {@code manifest.jsonl} as the kit's script writes it (one JSON object a line:
 * {@code utc}, {@code step}, {@code path}, {@code size}, {@code sha256}, and for process dumps
 * {@code pid}, {@code process}, {@code createTime}; a process the script could not dump has a line with
 * {@code refused} instead of a file). What can go wrong in a collection is laid in on purpose and written
 * to {@code collection.truth.json} (see {@link CollectionTruth}):
 * <ul>
 * <li>one process has no dump at all (ProcDump never finished it);</li>
 * <li>one archive is damaged after it was written (its hash in the manifest is of the damaged bytes, so
 * only extracting it finds the damage);</li>
 * <li>two of one process's pages in {@code pagefile.sys} were reused between taking the memory and
 * copying the paging file, so the image's copy of those pages differs from the process dump.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class CollectionWriter {

    /** The manifest's file name in the collected folder. */
    public static final String MANIFEST = "manifest.jsonl";
    /** The truth's file name in the collected folder. */
    public static final String TRUTH = "collection.truth.json";
    /** Where the archives go in the collected folder. */
    public static final String DUMPS = "dumps";

    private static final int REUSED_SLOTS = 2;

    /**
     * What was written.
     *
     * @param image the image's synthesis (its truth, the image and paging file in the folder)
     * @param truth what the collection holds
     * @since 0.1
     */
    public record Written(ImageSynthesizer.Output image, CollectionTruth truth) {
    }

    private CollectionWriter() {
    }

    /**
     * Synthesizes the image with {@code synth} into {@code folder} and writes the rest of the collection
     * beside it, telling {@code progress} as each stage of the synthesis begins.
     *
     * @return the image's synthesis, and what the collection holds and which of its flaws were laid in where
     */
    public static Written write(ImageSynthesizer synth, Path folder, ImageSynthesizer.Progress progress)
            throws IOException {
        Files.createDirectories(folder);
        ImageSynthesizer.Output image = synth.synthesize(folder, progress);
        Path work = Files.createDirectories(folder.resolve("work"));
        Path dumps = Files.createDirectories(folder.resolve(DUMPS));
        List<SynthTruth.Process> dumpable = image.truth().processes().stream().filter(p -> p.peb() != 0).toList();
        // the process whose paging-file slots are reused: the first with enough of its executable in pagefile.sys
        long reusedPid = dumpable.stream().filter(p -> p.imagePages().stream().filter(g -> g.module().equalsIgnoreCase(
                p.name()) && g.kind().equals("pagefile") && g.slot() == 0).count() >= REUSED_SLOTS).mapToLong(SynthTruth.Process::pid).findFirst()
                .orElse(-1);
        List<SynthTruth.Process> others = dumpable.stream().filter(p -> p.pid() != reusedPid).toList();
        if (others.size() < 3) {
            throw new IllegalArgumentException("a collection needs at least three processes with a user space");
        }
        long missing = others.get(others.size() - 1).pid();
        long corrupt = others.get(others.size() - 2).pid();
        StringBuilder lines = new StringBuilder();
        List<CollectionTruth.Process> processes = new ArrayList<>();
        List<ProcDumpWriter.SectionPage> reusable = new ArrayList<>();
        for (SynthTruth.Process p : image.truth().processes()) {
            Instant created = p.createTime();
            if (p.peb() == 0) {
                lines.append(line("process-dump", null, -1, null, p, "ProcDump could not open the process: "
                        + "access denied (protected or without a user address space)"));
                processes.add(new CollectionTruth.Process(p.pid(), p.name(), created, CollectionTruth.Outcome.REFUSED,
                        null, List.of()));
                continue;
            }
            if (p.pid() == missing) {
                processes.add(new CollectionTruth.Process(p.pid(), p.name(), created, CollectionTruth.Outcome.MISSING,
                        null, List.of()));
                continue;
            }
            Path dmp = work.resolve(p.name() + "_" + p.pid() + ".dmp");
            ProcDumpWriter.Dump dump = synth.procDump(p.pid(), dmp);
            Files.deleteIfExists(dmp.resolveSibling(dmp.getFileName() + ".truth.json"));
            String archiveName = DUMPS + "/" + dmp.getFileName() + ".7z";
            Path archive = folder.resolve(archiveName);
            compress(dmp, archive);
            Files.delete(dmp);
            CollectionTruth.Outcome outcome = CollectionTruth.Outcome.IMPORTED;
            if (p.pid() == corrupt) {
                damage(archive);
                outcome = CollectionTruth.Outcome.CORRUPT;
            } else if (p.pid() == reusedPid) {
                dump.imagePages().stream().filter(ProcDumpWriter.SectionPage::inPagefile).limit(REUSED_SLOTS).forEach(
                        reusable::add);
            }
            lines.append(line("process-dump", archiveName, Files.size(archive), sha256(archive), p, null));
            processes.add(new CollectionTruth.Process(p.pid(), p.name(), created, outcome, archiveName, p.pid()
                    == reusedPid ? reusable.stream().map(ProcDumpWriter.SectionPage::va).toList() : List.of()));
        }
        Files.delete(work);
        reuseSlots(image.pagefile(), reusable);
        String head = line("memory", image.image().getFileName().toString(), Files.size(image.image()),
                sha256(image.image()), null, null) + line("pagefile", image.pagefile().getFileName()
                        .toString(), Files.size(image.pagefile()), sha256(image.pagefile()), null, null);
        Files.writeString(folder.resolve(MANIFEST), head + lines, StandardCharsets.UTF_8);
        CollectionTruth truth = new CollectionTruth(image.image().getFileName().toString(), image.pagefile()
                .getFileName().toString(), List.copyOf(processes));
        Files.writeString(folder.resolve(TRUTH), truth.toJson(), StandardCharsets.UTF_8);
        return new Written(image, truth);
    }

    /** One manifest line; {@code process} is null for the memory and paging-file lines. */
    private static String line(String step, String path, long size, String sha256,
            SynthTruth.Process process, String refused) {
        Json j = new Json().begin('{').key("utc").value(Instant.now().toString()).key("step").value(step);
        if (path != null) {
            j.key("path").value(path).key("size").value(size).key("sha256").value(sha256);
        }
        if (process != null) {
            j.key("pid").value(process.pid()).key("process").value(process.name()).key("createTime").value(process
                    .createTime().toString());
        }
        if (refused != null) {
            j.key("refused").value(refused);
        }
        return j.end('}').toString() + "\n";
    }

    /** Writes {@code file} into a 7z archive as 7-Zip's fastest LZMA2 level would. */
    private static void compress(Path file, Path archive) throws IOException {
        try (SevenZOutputFile out = new SevenZOutputFile(archive.toFile()); InputStream in = Files.newInputStream(
                file)) {
            out.setContentMethods(List.of(new SevenZMethodConfiguration(SevenZMethod.LZMA2, new LZMA2Options(1))));
            SevenZArchiveEntry entry = out.createArchiveEntry(file.toFile(), file.getFileName().toString());
            out.putArchiveEntry(entry);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                out.write(buffer, 0, n);
            }
            out.closeArchiveEntry();
            out.finish();
        }
    }

    /** Overwrites a run of the archive's packed data, as a failing drive would. */
    private static void damage(Path archive) throws IOException {
        try (FileChannel c = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = 32 + (c.size() - 32) / 3;
            ByteBuffer junk = ByteBuffer.allocate((int) Math.min(4096, (c.size() - at) / 2));
            while (junk.hasRemaining()) {
                junk.put((byte) 0xa5);
            }
            c.write(junk.flip(), at);
        }
    }

    /** Gives each page's paging-file slot other bytes, as when Windows reused the slot before it was copied. */
    private static void reuseSlots(Path pagefile, List<ProcDumpWriter.SectionPage> pages) throws IOException {
        try (FileChannel c = FileChannel.open(pagefile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (ProcDumpWriter.SectionPage p : pages) {
                ByteBuffer b = ByteBuffer.allocate(4096);
                c.read(b, p.fileOffset());
                for (int i = 0; i < 4096; i++) {
                    b.put(i, (byte) ~b.get(i));
                }
                c.write(b.rewind(), p.fileOffset());
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
    }
}
