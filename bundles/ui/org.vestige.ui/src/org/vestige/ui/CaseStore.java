package org.vestige.ui;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.Options;
import org.vestige.core.result.AnalysisResult;

/**
 * The cases of the workbench kept in its workspace, a folder each: what the case was opened from (the
 * image, the paging files) and with (its {@link CaseSettings}), whether it was open when the workbench
 * last stopped, every result an analysis returned in it ({@link ResultFile}s, reopened without running the
 * analysis again) and an audit log of what was run, when, with which options, and the SHA-256 of what it
 * returned. A case is named by its image's file name, and by the image's folder as well when another kept
 * case has that name.
 *
 * @since 0.1
 */
public final class CaseStore {

    private static final String CASE_FILE = "case.properties";
    private static final String AUDIT = "audit.log";
    private static final String RESULTS = "results";
    private static final String BOOKMARKS = "bookmarks.log";
    private static final String ATTACHMENTS = "attachments";

    private final Path root;

    /** @param root the folder holding a folder per case (created when a case is first kept) */
    public CaseStore(Path root) {
        this.root = root;
    }

    /**
     * A case kept in the workspace.
     *
     * @param folder    where it is kept
     * @param name      what the workbench calls it
     * @param image     the memory image
     * @param pagefiles the paging files opened with it
     * @param settings  the settings it was opened with
     */
    public record Kept(Path folder, String name, Path image, List<PagefileSpec> pagefiles, CaseSettings settings) {
        public Kept {
            pagefiles = List.copyOf(pagefiles);
        }
    }

    /** One line of a case's audit log: an analysis run. */
    public record Run(Instant when, String plugin, String options, int rows, String sha256, Path result) {
    }

    /**
     * Keeps a case being opened (the one already kept for that image, with the new settings), marked open.
     *
     * @return the case as kept
     */
    public synchronized Kept keep(Path image, List<PagefileSpec> pagefiles, CaseSettings settings)
            throws IOException {
        Path absolute = image.toAbsolutePath().normalize();
        List<Kept> all = cases();
        Kept same = all.stream().filter(k -> k.image().equals(absolute)).findFirst().orElse(null);
        Path folder;
        String name;
        if (same != null) {
            folder = same.folder();
            name = same.name();
        } else {
            name = nameFor(absolute, open());
            folder = root.resolve(name.replaceAll("[^A-Za-z0-9._() -]", "_"));
            for (int i = 2; Files.exists(folder); i++) {
                folder = root.resolve(name.replaceAll("[^A-Za-z0-9._() -]", "_") + "-" + i);
            }
        }
        Files.createDirectories(folder.resolve(RESULTS));
        // what the case kept before (the results it showed) stays; what it is opened from and with is replaced
        Properties p = Files.isRegularFile(folder.resolve(CASE_FILE)) ? load(folder) : new Properties();
        p.keySet().removeIf(key -> key.toString().startsWith("pagefile.") || key.toString().startsWith("symbols."));
        p.setProperty("name", name);
        p.setProperty("image", absolute.toString());
        for (int i = 0; i < pagefiles.size(); i++) {
            p.setProperty("pagefile." + i, pagefiles.get(i).slot() + "|" + pagefiles.get(i).path().toAbsolutePath());
        }
        p.setProperty("hash", Boolean.toString(settings.hash()));
        // blank: the case's own folder, as chosen when it opens
        p.setProperty("output", settings.outputDirectory().toString().isEmpty() ? "" : settings.outputDirectory()
                .toAbsolutePath().toString());
        for (int i = 0; i < settings.symbolPaths().size(); i++) {
            p.setProperty("symbols." + i, settings.symbolPaths().get(i).toAbsolutePath().toString());
        }
        p.setProperty("disabledStores", String.join(",", settings.disabledStores()));
        p.setProperty("open", "true");
        store(folder, p);
        return new Kept(folder, name, absolute, pagefiles, settings);
    }

    /**
     * The name of a new case: its image's file name, with the image's folder when a case open now (or left
     * open when the workbench stopped) has that name.
     */
    private static String nameFor(Path image, List<Kept> others) {
        String name = image.getFileName().toString();
        boolean taken = others.stream().anyMatch(k -> k.name().equals(name) || k.image().getFileName().toString()
                .equals(name));
        Path parent = image.getParent();
        return taken && parent != null && parent.getFileName() != null ? name + " (" + parent.getFileName() + ")"
                : name;
    }

    /** @return every case kept, in the order of their folders' names */
    public synchronized List<Kept> cases() throws IOException {
        List<Kept> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> folders = Files.list(root).sorted()) {
            for (Path f : folders.toList()) {
                if (Files.isRegularFile(f.resolve(CASE_FILE))) {
                    out.add(read(f));
                }
            }
        }
        return out;
    }

    /** @return the cases that were open when they were last kept (the workbench reopens them) */
    public List<Kept> open() throws IOException {
        List<Kept> out = new ArrayList<>();
        for (Kept k : cases()) {
            if (Boolean.parseBoolean(load(k.folder()).getProperty("open"))) {
                out.add(k);
            }
        }
        return out;
    }

    /** Marks a case closed: the workbench does not reopen it; its results and log stay. */
    public synchronized void closed(Kept k) throws IOException {
        Properties p = load(k.folder());
        p.setProperty("open", "false");
        store(k.folder(), p);
    }

    /**
     * Keeps a result an analysis returned in a case and logs the run.
     *
     * @return the file holding the result
     */
    public synchronized Path keepResult(Kept k, Options options, AnalysisResult result) throws IOException {
        Path dir = k.folder().resolve(RESULTS);
        Files.createDirectories(dir);
        long n;
        try (Stream<Path> s = Files.list(dir)) {
            n = s.count() + 1;
        }
        Path file = dir.resolve(String.format("%04d-%s.vres", n, result.pluginId()));
        ResultFile.write(result, file);
        String line = String.join("\t", Instant.now().toString(), result.pluginId(), describe(options), Integer
                .toString(result.table().rowCount()), sha256(file), k.folder().relativize(file).toString());
        Files.writeString(k.folder().resolve(AUDIT), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }

    /** @return the kept results a case shows in Results views, in the order they were shown */
    public synchronized List<Path> tabs(Kept k) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String t : load(k.folder()).getProperty("tabs", "").split("\n")) {
            if (!t.isBlank() && Files.isRegularFile(k.folder().resolve(t))) {
                out.add(k.folder().resolve(t));
            }
        }
        return out;
    }

    /** Records that a kept result of a case is shown in a Results view (shown again when the case reopens). */
    public void tabShown(Kept k, Path result) throws IOException {
        changeTabs(k, result, true);
    }

    /** Records that the analyst closed the Results view showing a kept result. */
    public void tabClosed(Kept k, Path result) throws IOException {
        changeTabs(k, result, false);
    }

    private synchronized void changeTabs(Kept k, Path result, boolean shown) throws IOException {
        Properties p = load(k.folder());
        Set<String> tabs = new LinkedHashSet<>(List.of(p.getProperty("tabs", "").split("\n")));
        tabs.remove("");
        String relative = k.folder().relativize(result).toString();
        if (shown ? tabs.add(relative) : tabs.remove(relative)) {
            p.setProperty("tabs", String.join("\n", tabs));
            store(k.folder(), p);
        }
    }

    /**
     * A bookmark on a finding: a result's row or an address, with the analyst's tags and note.
     *
     * @param when    when it was made
     * @param source  what it marks: the analysis whose row it is, or the view it was made in
     * @param subject the row's cells (or the address) as shown
     * @param tags    the analyst's tags, comma-separated
     * @param note    the analyst's note
     */
    public record Bookmark(Instant when, String source, String subject, String tags, String note) {
    }

    /** Keeps a bookmark with a case. */
    public synchronized void bookmark(Kept k, Bookmark b) throws IOException {
        String line = String.join("\t", b.when().toString(), flat(b.source()), flat(b.subject()), flat(b.tags()),
                flat(b.note()));
        Files.writeString(k.folder().resolve(BOOKMARKS), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** @return the bookmarks of a case, oldest first */
    public synchronized List<Bookmark> bookmarks(Kept k) throws IOException {
        Path file = k.folder().resolve(BOOKMARKS);
        List<Bookmark> out = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length == 5) {
                    out.add(new Bookmark(Instant.parse(f[0]), unflat(f[1]), unflat(f[2]), unflat(f[3]), unflat(f[4])));
                }
            }
        }
        return out;
    }

    /** @return the images attached to a case for its report (screenshots), by name */
    public List<Path> attachments(Kept k) throws IOException {
        Path dir = k.folder().resolve(ATTACHMENTS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir).sorted()) {
            return s.filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png"))
                    .toList();
        }
    }

    /** Attaches an image (a screenshot) to a case for its report. */
    public Path attach(Kept k, Path image) throws IOException {
        Path dir = Files.createDirectories(k.folder().resolve(ATTACHMENTS));
        return Files.copy(image, dir.resolve(image.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A field of a log line: tabs and line breaks escaped. */
    private static String flat(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unflat(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** @return the analyses run in a case, oldest first */
    public List<Run> runs(Kept k) throws IOException {
        Path log = k.folder().resolve(AUDIT);
        List<Run> out = new ArrayList<>();
        if (Files.isRegularFile(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length == 6) {
                    out.add(new Run(Instant.parse(f[0]), f[1], f[2], Integer.parseInt(f[3]), f[4], k.folder()
                            .resolve(f[5])));
                }
            }
        }
        return out;
    }

    /** @return the options as the command line takes them ({@code --name value}), in their declared order */
    static String describe(Options options) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Object>> e : options.asMap().entrySet()) {
            for (Object v : e.getValue()) {
                parts.add("--" + e.getKey() + (v instanceof Boolean b && b ? "" : " " + v));
            }
        }
        return String.join(" ", parts);
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0;) {
                    d.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Kept read(Path folder) throws IOException {
        Properties p = load(folder);
        List<PagefileSpec> pagefiles = new ArrayList<>();
        for (int i = 0; p.containsKey("pagefile." + i); i++) {
            String[] v = p.getProperty("pagefile." + i).split("\\|", 2);
            pagefiles.add(new PagefileSpec(Integer.parseInt(v[0]), Path.of(v[1])));
        }
        List<Path> symbols = new ArrayList<>();
        for (int i = 0; p.containsKey("symbols." + i); i++) {
            symbols.add(Path.of(p.getProperty("symbols." + i)));
        }
        Set<String> disabled = new LinkedHashSet<>();
        for (String s : p.getProperty("disabledStores", "").split(",")) {
            if (!s.isBlank()) {
                disabled.add(s);
            }
        }
        CaseSettings settings = new CaseSettings(Boolean.parseBoolean(p.getProperty("hash")), Path.of(p.getProperty(
                "output")), symbols, disabled);
        return new Kept(folder, p.getProperty("name"), Path.of(p.getProperty("image")), pagefiles, settings);
    }

    private static Properties load(Path folder) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(folder.resolve(CASE_FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static void store(Path folder, Properties p) throws IOException {
        try (Writer w = Files.newBufferedWriter(folder.resolve(CASE_FILE), StandardCharsets.UTF_8)) {
            p.store(w, "a Vestige case");
        }
    }
}
