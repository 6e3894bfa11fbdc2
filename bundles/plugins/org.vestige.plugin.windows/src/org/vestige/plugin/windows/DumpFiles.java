package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.Layer;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.MissingText;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.CacheViews;
import org.vestige.windows.ControlAreas;
import org.vestige.windows.FileObjects;
import org.vestige.windows.FileScanner;
import org.vestige.windows.HandleList;
import org.vestige.windows.HandleTableWalker;
import org.vestige.windows.Readout;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinFile;
import org.vestige.windows.WinHandle;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.dumpfiles}: the bytes of files as memory holds them, from each file object's
 * {@code SectionObjectPointer} — its data section and its image section, each read page by page through
 * its control area's subsections and prototype PTEs, wherever the page is (RAM, transition, a paging file,
 * the compressed store) — and the views its shared cache map has in the system cache (VACBs), written to the
 * output folder with a sidecar naming every page's source. Each
 * page that could not be read is a child row with its typed cause, never a silent zero. Files are chosen
 * by file object address, by the processes that have them open or mapped, or by a name pattern, else all
 * the pool scan finds.
 *
 * @since 0.1
 */
public final class DumpFiles implements Analysis {

    public static final Column<Long> FILE = Column.address("FileObject");
    public static final Column<String> SECTION = Column.string("Section");
    /** The control area of a data or image section, or the shared cache map of cached views. */
    public static final Column<Long> STRUCTURE = Column.address("Structure");
    public static final Column<String> NAME = Column.string("FileName");
    public static final Column<Long> OFFSET = Column.address("Offset");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        FileObjects files;
        ControlAreas sections;
        try {
            files = new FileObjects(kernel.objects());
            sections = new ControlAreas(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe file sections: " + e.getMessage());
        }
        Pattern name = pattern(context);
        ResultTable table = ResultTable.of(FILE, SECTION, STRUCTURE, NAME, OFFSET, SIZE, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        List<String> warnings = new ArrayList<>();
        SubMonitor progress = SubMonitor.convert(monitor, "Dumping files", 2);
        List<WinFile> chosen = choose(context, kernel, files, warnings, progress.split(1));
        Set<Long> dumped = new HashSet<>();
        SubMonitor each = progress.split(1).setWorkRemaining(chosen.size());
        for (WinFile f : chosen) {
            each.split(1);
            Readout<String> path = f.path();
            if (name != null && !(path.isPresent() && name.matcher(path.get()).find())) {
                continue;
            }
            if (!f.sections().isPresent()) {
                Row row = table.addRow().set(FILE, f.address());
                Selected.cell(row, NAME, path);
                row.missing(SECTION, f.sections().reason()).set(DETAIL, "nothing to dump");
                continue;
            }
            WinFile.SectionPointers p = f.sections().get();
            String of = path.orElse("file object " + hex(f.address()));
            for (String kind : List.of("DataSection", "ImageSection", "SharedCacheMap")) {
                long at = switch (kind) {
                    case "DataSection" -> p.dataSection();
                    case "ImageSection" -> p.imageSection();
                    default -> p.sharedCacheMap();
                };
                if (at == 0) {
                    continue;
                }
                Row row = table.addRow().set(FILE, f.address()).set(SECTION, kind).set(STRUCTURE, at);
                Selected.cell(row, NAME, path);
                if (!dumped.add(at)) {
                    row.missing(SIZE, "dumped already").set(DETAIL, "the same " + kind + " as a file object above");
                } else if (kind.equals("SharedCacheMap")) {
                    dump(context, f, row, kind, CacheViews.read(kernel.discovery().kernel(), kernel.discovery()
                            .profile(), at, "cached views of " + of, warnings), ".vacb", result);
                } else {
                    boolean image = kind.equals("ImageSection");
                    dump(context, f, row, kind, sections.section(at, image, (image ? "image" : "data")
                            + " section of " + of, warnings), image ? ".img" : ".dat", result);
                }
            }
        }
        warnings.forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "dumpfiles", w)));
        return result;
    }

    /** @return the --name pattern (a regular expression, ignoring case), or null */
    private static Pattern pattern(AnalysisContext context) throws AnalysisException {
        String name = context.options().string("name").orElse(null);
        try {
            return name == null ? null : Pattern.compile(name, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new AnalysisException("--name " + name + " is no regular expression: " + e.getDescription());
        }
    }

    /**
     * The file objects asked for: at the --address given, those the --pid processes have open (File handles)
     * or mapped (their mapped-section VADs), else every one the pool scan finds.
     */
    private static List<WinFile> choose(AnalysisContext context, WindowsKernel kernel, FileObjects files,
            List<String> warnings, IProgressMonitor monitor) throws AnalysisException {
        List<Long> addresses = new ArrayList<>();
        if (context.options().has("address")) {
            addresses.addAll(context.options().all("address", Long.class));
        } else if (context.options().has("pid")) {
            addresses.addAll(opened(context, kernel, files, warnings));
        } else {
            try {
                return new FileScanner(context.requireEvidence().physical(), kernel.discovery().kernel(), files).scan(
                        Math.max(1, Runtime.getRuntime().availableProcessors()), new MonitoredScan(monitor,
                                "Scanning physical memory for file objects")).found();
            } catch (CancellationException e) {
                throw new OperationCanceledException(e.getMessage());
            }
        }
        Map<Long, WinFile> out = new LinkedHashMap<>();
        for (long a : addresses) {
            if (!out.containsKey(a)) {
                Readout<WinFile> f = files.read(a, warnings);
                if (f.isPresent()) {
                    out.put(a, f.get());
                } else {
                    warnings.add("file object " + hex(a) + " cannot be read: " + f.reason());
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** @return the file objects the selected processes refer to through a handle or a mapped view */
    private static Set<Long> opened(AnalysisContext context, WindowsKernel kernel, FileObjects files,
            List<String> warnings) {
        HandleTableWalker handles = new HandleTableWalker(files.objects());
        VadWalker vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        Set<Long> out = new LinkedHashSet<>();
        for (Selected.Process s : Selected.processes(context, kernel)) {
            HandleList list = handles.walk(s.process());
            for (WinHandle h : list.handles()) {
                if (h.type().isPresent() && h.type().get().equals("File")) {
                    out.add(h.object());
                }
            }
            list.warnings().forEach(w -> warnings.add(s.process() + ": " + w));
            for (WinVad v : vads.walk(s.process().eprocess()).vads()) {
                if (!v.privateMemory()) {
                    Readout<Long> file = vads.fileObject(v.node());
                    if (file.isPresent()) {
                        out.add(file.get());
                    } else if (FileObjects.wild(file)) {
                        warnings.add(s.process() + ": VAD " + hex(v.start()) + "-" + hex(v.end()) + ": " + file
                                .reason());
                    }
                }
            }
        }
        return out;
    }

    /** Writes one section or the cached views of a file and lists the pages it could not read. */
    private static void dump(AnalysisContext context, WinFile f, Row row, String kind, Readout<? extends Layer> read,
            String extension, AnalysisResult result) throws AnalysisException {
        if (!read.isPresent() || read.get().size() == 0) {
            row.missing(SIZE, read.isPresent() ? "no subsection of control area " + hex(row.get(STRUCTURE))
                    + " has prototype PTEs" : read.reason()).set(DETAIL, "nothing to dump");
            return;
        }
        Layer s = read.get();
        row.set(SIZE, s.size());
        String base = row.get(NAME) != null ? row.get(NAME).substring(row.get(NAME).lastIndexOf('\\') + 1)
                : "unnamed";
        Path file = context.outputFile("file." + hex(f.address() != 0 ? f.address() : f.physical()) + "." + hex(row
                .get(STRUCTURE)) + "." + kind + "." + base.replaceAll("[^A-Za-z0-9._-]", "_") + extension);
        try (RegionDump out = new RegionDump(file)) {
            out.copy(s, 0, s.size(), 0);
            String sha = out.finish();
            result.addFile(new OutputFile(file, s.size(), sha, s.name() + " (" + out.summary() + ")"));
            row.set(DETAIL, file.getFileName() + ": " + out.summary());
            for (RegionDump.MissingPage m : out.missing()) {
                row.addChild().set(FILE, f.address()).set(SECTION, kind).set(STRUCTURE, row.get(STRUCTURE)).set(
                        OFFSET, m.fileOffset()).set(SIZE, (long) RegionDump.PAGE).setCell(DETAIL, MissingText.of(m
                                .missing()));
            }
        } catch (IOException e) {
            throw new AnalysisException("cannot write " + file + ": " + e.getMessage(), e);
        }
        result.addFile(RegionDump.sidecarFile(file));
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
