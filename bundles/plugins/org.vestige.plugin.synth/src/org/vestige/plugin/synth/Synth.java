package org.vestige.plugin.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.CollectionWriter;
import org.vestige.synth.HiberfilWriter;
import org.vestige.synth.HiveMemoryWriter;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.windows.ProfileMatcher;

/** {@code synth}: writes a synthetic Windows memory image, its truth and its symbols. */
public final class Synth implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<Long> PPID = Column.pid("PPID");
    public static final Column<String> NAME = Column.string("ImageFileName");
    public static final Column<Long> EPROCESS = Column.address("Offset(V)");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        String profileArg = context.options().string("profile").orElseThrow();
        Profile profile;
        int build;
        ProfileDescriptor installed = context.extensions().profiles().stream().filter(d -> d.id().equals(profileArg))
                .findFirst().orElse(null);
        if (profileArg.matches("\\d+") || installed != null) {
            ProfileDescriptor d = installed != null ? installed : new ProfileMatcher(context.extensions().profiles())
                    .forBuild(Integer.parseInt(profileArg)).orElseThrow(() -> new AnalysisException("no installed x64 "
                            + "profile for build " + profileArg + "; give the path of an ISF file instead"));
            build = d.build();
            try {
                profile = d.load();
            } catch (IOException e) {
                throw new AnalysisException("profile " + d.id() + " cannot be read: " + e.getMessage(), e);
            }
        } else if (!Files.isRegularFile(Paths.get(profileArg))) {
            throw new AnalysisException("--profile " + profileArg + " is neither a build number, an installed "
                    + "profile (see profiles.list) nor an ISF file");
        } else {
            try {
                profile = IsfReader.read(Paths.get(profileArg));
            } catch (IOException e) {
                throw new AnalysisException(e.getMessage(), e);
            }
            build = context.options().number("build").map(Long::intValue).orElse(profile.identity().build());
            if (build == 0) {
                throw new AnalysisException(profileArg + " does not say which build it describes: give --build");
            }
        }
        long compressedPages = context.options().number("compressed-pages").orElse(0L);
        if (compressedPages < 0 || compressedPages > SynthOptions.MAX_COMPRESSED_PAGES) {
            throw new AnalysisException("--compressed-pages " + compressedPages + " is outside 0.."
                    + SynthOptions.MAX_COMPRESSED_PAGES);
        }
        SynthOptions.Builder builder = SynthOptions.builder()
                .seed(context.options().number("seed").orElse(1L))
                .windowsBuild(build)
                .lowStub(context.options().flag("low-stub"))
                .svchostCount(context.options().number("svchosts").orElse(6L).intValue())
                .smear(SynthOptions.Smear.valueOf(enumName(context.options().string("smear").orElse("none"))))
                .sizeMib(context.options().number("size-mib").orElse(2048L))
                .compressedStore(SynthOptions.CompressedStore.valueOf(enumName(context.options().string(
                        "compressed-store").orElse("none"))))
                .compressedPages((int) compressedPages)
                .hives(hivePlacement(context))
                .vbs(context.options().flag("vbs"))
                .plants(!context.options().flag("no-plants"))
                .extraProcess(context.options().string("extra-process").orElse(null))
                .dense(!context.options().flag("sparse"));
        long bulkResident = context.options().number("bulk-resident").orElse(0L);
        long bulkPaged = context.options().number("bulk-paged").orElse(0L);
        SynthOptions options;
        try {
            if (bulkResident > 0 || bulkPaged > 0) {
                builder.bulk(new SynthOptions.Bulk((int) Math.min(bulkResident, Integer.MAX_VALUE),
                        (int) Math.min(bulkPaged, Integer.MAX_VALUE)));
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        Path out = context.outputDirectory();
        ImageSynthesizer.Output written;
        List<Path> procDumps = new ArrayList<>();
        List<String> procDumpPids = context.options().all("procdump", String.class);
        String hiberCodecs = context.options().string("hiberfil").orElse("none");
        Path hiberfil = hiberCodecs.equals("none") ? null : out.resolve("hiberfil.sys");
        // one tick per stage of the synthesis, per procdump and for the hibernation file; split() throws once
        // the user cancels
        SubMonitor progress = SubMonitor.convert(monitor, "Synthesizing a Windows " + build + " image",
                ImageSynthesizer.Progress.STAGES.size() + procDumpPids.size() + (hiberfil == null ? 0 : 1));
        try {
            Files.createDirectories(out);
            ImageSynthesizer synthesizer = new ImageSynthesizer(profile, options);
            ImageSynthesizer.Progress stages = stage -> {
                progress.subTask(stage);
                progress.split(1);
            };
            if (context.options().flag("collection")) {
                written = CollectionWriter.write(synthesizer, out, stages).image();
            } else {
                written = synthesizer.synthesize(out, stages);
            }
            for (String which : procDumpPids) {
                progress.subTask("procdump of " + which);
                progress.split(1);
                // a pid, or the image name of the first process of that name
                SynthTruth.Process process = written.truth().processes().stream().filter(p -> which.matches("\\d+")
                        ? p.pid() == Long.parseLong(which) : p.name().equalsIgnoreCase(which)).findFirst().orElseThrow(
                                () -> new AnalysisException("--procdump " + which
                                        + ": no such process in the image (see truth.json)"));
                procDumps.add(synthesizer.procDump(process.pid(), out.resolve(process.name() + "_" + process.pid()
                        + ".dmp")).file());
            }
            if (hiberfil != null) {
                progress.subTask("hibernation file");
                progress.split(1);
                HiberfilWriter.writeWithTruth(written.image(), hiberfil, HiberfilWriter.Settings.of(build).withCodecs(
                        HiberfilWriter.Codecs.valueOf(enumName(hiberCodecs))));
            }
        } catch (IOException e) {
            throw new AnalysisException("cannot write the image to " + out + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        ResultTable table = ResultTable.of(PID, PPID, NAME, EPROCESS);
        for (SynthTruth.Process p : written.truth().processes()) {
            table.addRow().set(PID, p.pid()).set(PPID, p.ppid()).set(NAME, p.name()).set(EPROCESS, p.eprocess());
        }
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        addFile(result, written.image(), "synthetic physical memory (raw) of build " + build);
        addFile(result, out.resolve("truth.json"), "what every analysis must return");
        addFile(result, written.isf(), "the image's symbols (ISF: types and the globals placed)");
        if (written.pagefile() != null) {
            addFile(result, written.pagefile(), "the image's paging file");
        }
        if (hiberfil != null) {
            addFile(result, hiberfil, "the hibernation file of the machine (" + hiberCodecs + ")");
            addFile(result, HiberfilWriter.truthFile(hiberfil), "which compression set and codec hold each page");
        }
        addFile(result, out.resolve(CollectionWriter.MANIFEST), "the collection's manifest, as the acquisition kit "
                + "writes it");
        addFile(result, out.resolve(CollectionWriter.TRUTH), "what became of each process in the collection");
        for (Path dump : procDumps) {
            addFile(result, dump, "a full-memory minidump of the process's true memory, as procdump -ma writes it");
            addFile(result, dump.resolveSibling(dump.getFileName() + ".truth.json"),
                    "what the minidump holds and where the image has each page of the executable");
        }
        return result;
    }

    /**
     * The hives' placement: {@code --sam-pages} (which implies {@code --hives}) says where the SAM's pages are;
     * {@code --hives} alone keeps them resident.
     */
    private static HiveMemoryWriter.HivePlacement hivePlacement(AnalysisContext context) throws AnalysisException {
        String samPages = context.options().string("sam-pages").orElse(null);
        if (samPages == null) {
            return context.options().flag("hives") ? HiveMemoryWriter.HivePlacement.RESIDENT : null;
        }
        HiveMemoryWriter.HivePlacement placement = switch (samPages) {
            case "resident" -> HiveMemoryWriter.HivePlacement.RESIDENT;
            case "compressed" -> HiveMemoryWriter.HivePlacement.SAM_COMPRESSED;
            case "pagefile" -> HiveMemoryWriter.HivePlacement.SAM_PAGEFILE;
            default -> HiveMemoryWriter.HivePlacement.SCATTERED;
        };
        if ((placement == HiveMemoryWriter.HivePlacement.SAM_COMPRESSED
                || placement == HiveMemoryWriter.HivePlacement.SCATTERED)
                && context.options().string("compressed-store").orElse("none").equals("none")) {
            throw new AnalysisException("--sam-pages " + samPages + " puts SAM pages in the compressed store: "
                    + "give --compressed-store intact as well");
        }
        return placement;
    }

    /** {@code broken-node} to {@code BROKEN_NODE}. */
    private static String enumName(String choice) {
        return choice.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static void addFile(AnalysisResult result, Path file, String description) throws AnalysisException {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            result.addFile(OutputFile.of(file, description));
        } catch (IOException e) {
            throw new AnalysisException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }
}
