package org.vestige.plugin.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;

/**
 * {@code profiles.import}: turns ISF files, folders of them, Volatility 3 symbol-pack zips, or PDB files
 * (read offline by {@link PdbIsf}: the same ISF document, made in memory) into installable kernel-profile
 * bundles (one per Windows build and architecture) in the output folder,
 * trimmed to the types and symbols Vestige reads unless {@code --trim false}. One row per document:
 * the profile id it became, its identity, what was kept and the size written; a document that
 * cannot be imported becomes an error diagnostic and the others go on. Needs no evidence.
 *
 * @since 0.1
 */
public final class ProfilesImport implements Analysis {

    public static final Column<String> SOURCE = Column.string("Source");
    public static final Column<String> PROFILE = Column.string("Profile");
    public static final Column<String> BUNDLE = Column.string("Bundle");
    public static final Column<Long> BUILD = Column.integer("Build");
    public static final Column<String> PDB = Column.string("PDB");
    public static final Column<Long> TYPES = Column.integer("Types");
    public static final Column<Long> SYMBOLS = Column.integer("Symbols");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        List<Path> isfPaths = context.options().all("isf", Path.class);
        List<Path> pdbPaths = context.options().all("pdb", Path.class);
        List<Path> paths = new ArrayList<>(isfPaths);
        paths.addAll(pdbPaths);
        if (paths.isEmpty()) {
            throw new AnalysisException(context.plugin().id() + " needs at least one --isf file, folder or zip, or "
                    + "--pdb file or folder");
        }
        Path output = context.options().path("output").orElse(context.outputDirectory());
        boolean trim = context.options().flag("trim");
        int build = context.options().number("build").orElse(0L).intValue();

        List<Document> sources = new ArrayList<>();
        try {
            if (!isfPaths.isEmpty()) {
                for (IsfSources.Source s : IsfSources.find(isfPaths)) {
                    sources.add(new Document(s.name(), s.stem(), s::read));
                }
            }
            for (Path pdb : PdbSources.find(pdbPaths)) {
                sources.add(new Document(pdb.toString(), PdbSources.stem(pdb), () -> PdbIsf.isf(pdb, build)));
            }
        } catch (IOException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        ProfileBundleWriter writer = new ProfileBundleWriter(trim ? new IsfTrimmer() : null);
        ResultTable table = ResultTable.of(SOURCE, PROFILE, BUNDLE, BUILD, PDB, TYPES, SYMBOLS, SIZE, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        monitor.beginTask("Importing kernel profiles", sources.size() + 1);
        for (Document s : sources) {
            if (monitor.isCanceled()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, "", "cancelled; later files not imported"));
                break;
            }
            monitor.subTask(s.name());
            try {
                ProfileBundleWriter.Imported i = writer.add(s.name(), s.stem(), s.content().read(), null);
                Row row = table.addRow().set(SOURCE, s.name()).set(PROFILE, i.id()).set(BUNDLE, i.bundle()).set(BUILD,
                        (long) i.build()).set(TYPES, (long) i.types()).set(SYMBOLS, (long) i.symbols()).set(SIZE, i
                                .size());
                i.identity().pdbKey().ifPresentOrElse(k -> row.set(PDB, k), () -> row.missing(PDB,
                        "types-only layout"));
                row.set(DETAIL, i.architecture() + (i.trimmed() ? ", " + i.roots().size() + " root types; kept "
                        + i.types() + " of " + i.sourceTypes() + " types, " + i.enums() + " enums, " + i.symbols()
                        + " of " + i.sourceSymbols() + " symbols" : ", whole"));
            } catch (IOException | RuntimeException e) {
                result.add(new Diagnostic(Diagnostic.Severity.ERROR, s.name(), "not imported: " + e.getMessage()));
            }
            monitor.worked(1);
        }
        if (writer.imported().isEmpty()) {
            throw new AnalysisException("no profile imported from " + paths + ": " + result.diagnostics().stream()
                    .map(Diagnostic::message).findFirst().orElse("nothing found"));
        }
        try {
            Files.createDirectories(output);
            for (ProfileBundleWriter.WrittenBundle b : writer.write(output)) {
                for (ProfileBundleWriter.Imported i : b.profiles()) {
                    Path file = b.folder().resolve(i.file());
                    result.addFile(new OutputFile(file, Files.size(file), sha256(file), "kernel profile " + i.id()));
                }
                result.add(new Diagnostic(Diagnostic.Severity.INFO, b.symbolicName(), "bundle written to " + b
                        .folder() + " with " + b.profiles().size() + " profile(s)"));
            }
        } catch (IOException e) {
            throw new AnalysisException("cannot write the profile bundles to " + output + ": " + e.getMessage(), e);
        }
        monitor.done();
        return result;
    }

    /** Reads one document's ISF bytes (decompressing an ISF file, or converting a PDB). */
    @FunctionalInterface
    private interface Content {
        byte[] read() throws IOException;
    }

    /** One document to import: an ISF file or zip entry, or a PDB. */
    private record Document(String name, String stem, Content content) {
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
