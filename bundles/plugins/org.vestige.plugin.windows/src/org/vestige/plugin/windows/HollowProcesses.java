package org.vestige.plugin.windows;

import java.util.List;
import java.util.NoSuchElementException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.HollowedProcess;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.hollowprocesses}: processes whose PEB names an executable that is not what is mapped at
 * their image base — an image base in private memory (process hollowing), an image mapping of another
 * file, or names in the PEB, the loader list and {@code _EPROCESS.ImageFileName} that disagree. One row per
 * such process, with every sign found.
 *
 * @since 0.1
 */
public final class HollowProcesses implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> IMAGE_BASE = Column.address("ImageBase");
    public static final Column<String> IMAGE_PATH = Column.string("ImagePath");
    public static final Column<String> LOADER_PATH = Column.string("LoaderPath");
    public static final Column<Long> VAD_START = Column.address("VadStart");
    public static final Column<Long> VAD_END = Column.address("VadEnd");
    public static final Column<String> VAD_KIND = Column.string("VadKind");
    public static final Column<String> PROTECTION = Column.string("Protection");
    public static final Column<String> MAPPED_FILE = Column.string("MappedFile");
    public static final Column<String> SIGNS = Column.string("Signs");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, IMAGE_BASE, IMAGE_PATH, LOADER_PATH, VAD_START, VAD_END,
                VAD_KIND, PROTECTION, MAPPED_FILE, SIGNS);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        VadWalker vads;
        HollowedProcess check;
        try {
            vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
            check = new HollowedProcess(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe VADs: " + e.getMessage());
        }
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing image bases with the PEB", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue; // no user address space: no image
            }
            String subject = s.process().toString();
            VadList list = vads.walk(s.process().eprocess());
            list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            HollowedProcess.Verdict v;
            try {
                v = check.check(s.process(), s.layer(), list);
            } catch (NoSuchElementException e) {
                throw new AnalysisException("the profile cannot describe the PEB: " + e.getMessage());
            }
            if (!v.imageBase().isPresent() || !v.imagePath().isPresent()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "not judged: " + (v.imageBase()
                        .isPresent() ? v.imagePath().reason() : v.imageBase().reason())));
            }
            if (v.hollowed()) {
                row(table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()), v);
            }
        }
        return result;
    }

    private static void row(Row row, HollowedProcess.Verdict v) {
        Selected.cell(row, IMAGE_BASE, v.imageBase());
        Selected.cell(row, IMAGE_PATH, v.imagePath());
        Selected.cell(row, LOADER_PATH, v.loaderPath());
        WinVad vad = v.vad();
        if (vad == null) {
            Unavailable none = new Unavailable("no VAD holds the image base");
            row.setCell(VAD_START, none).setCell(VAD_END, none).setCell(VAD_KIND, none).setCell(PROTECTION, none)
                    .setCell(MAPPED_FILE, none);
        } else {
            row.set(VAD_START, vad.start()).set(VAD_END, vad.end()).set(PROTECTION, vad.protectionName()).set(
                    VAD_KIND, vad.privateMemory() ? "private" : vad.image() ? "image" : "mapped");
            Selected.cell(row, MAPPED_FILE, vad.file() != null ? vad.file() : Readout.missing("private memory"));
        }
        row.set(SIGNS, String.join("; ", v.signs()));
    }
}
