package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.MissingText;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.layer.crashdump.MinidumpModule;
import org.vestige.windows.EvidenceProcesses;
import org.vestige.windows.MinidumpProcess;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.procdump}: a process's executable image (or a module at {@code --base}) as it is
 * laid out in memory — headers and sections at their RVAs — with a provenance sidecar, and every
 * page that could not be read listed with where it is, never silently zero-filled. On a user-mode
 * minidump the image is rebuilt from the memory captured at the module's base over its SizeOfImage, and
 * pages the dump did not capture are listed as such.
 *
 * @since 0.1
 */
public final class ProcDump implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> DETAIL = Column.string("Detail");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(PID, PROCESS, ADDRESS, SIZE, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        switch (EvidenceProcesses.of(context)) {
            case MinidumpProcess dump -> dump(context, dump, table, result);
            case WindowsKernel kernel -> dump(context, kernel, table, result, monitor);
        }
        return result;
    }

    /**
     * Rebuilds the image of a module the minidump lists (the executable, or the one holding
     * {@code --base}) from the memory captured at its base, over its SizeOfImage.
     */
    private static void dump(AnalysisContext context, MinidumpProcess dump, ResultTable table, AnalysisResult result)
            throws AnalysisException {
        if (!Selected.dump(dump, context, result)) {
            return;
        }
        Row row = table.addRow();
        if (dump.pid().isPresent()) {
            row.set(PID, dump.pid().getAsLong());
        } else {
            row.missing(PID, "the minidump has no MiscInfo stream recording the process id");
        }
        row.set(PROCESS, dump.name());
        Long asked = context.options().number("base").orElse(null);
        MinidumpModule module = asked == null ? dump.mainModule().orElse(null) : dump.moduleAt(asked).orElse(null);
        if (module == null) {
            String why = asked == null ? "the minidump has no module list" : "no module of the minidump's module "
                    + "list holds 0x" + Long.toHexString(asked);
            row.missing(ADDRESS, why).missing(SIZE, why).set(DETAIL, "nothing to dump");
            return;
        }
        long base = module.baseOfImage();
        long size = module.sizeOfImage();
        row.set(ADDRESS, base).set(SIZE, size);
        String pid = dump.pid().isPresent() ? Long.toString(dump.pid().getAsLong()) : "minidump";
        Path file = context.outputFile(pid + "." + safe(module.baseName()) + ".0x" + Long.toHexString(
                base) + ".img");
        long missing;
        try (RegionDump out = new RegionDump(file)) {
            out.copy(dump.memory(), base, size, 0);
            String sha = out.finish();
            result.addFile(new OutputFile(file, size, sha, module.baseName() + " image at 0x" + Long.toHexString(base)
                    + " (" + out.summary() + ")"));
            row.set(DETAIL, file.getFileName() + ": " + out.summary());
            for (RegionDump.MissingPage m : out.missing()) {
                String region = dump.regionAt(m.virtualAddress()).map(r -> " (" + MinidumpProcess.describe(r) + ")")
                        .orElse("");
                row.addChild().setCell(PID, row.cell(PID)).set(PROCESS, dump.name()).set(ADDRESS, m.virtualAddress())
                        .set(SIZE, (long) RegionDump.PAGE).set(DETAIL, "not captured in the minidump" + region);
            }
            missing = out.missing().size();
        } catch (IOException e) {
            throw new AnalysisException("cannot write " + file + ": " + e.getMessage(), e);
        }
        result.addFile(RegionDump.sidecarFile(file));
        if (missing > 0) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, dump.toString(), missing + " page(s) of "
                    + module.baseName() + " were not captured in the minidump and are left as holes; a full-memory "
                    + "dump (procdump -ma, .dump /ma) holds them"));
        }
    }

    private static void dump(AnalysisContext context, WindowsKernel kernel, ResultTable table, AnalysisResult result,
            IProgressMonitor monitor) throws AnalysisException {
        VadWalker vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        long pagefileMisses = 0;
        var processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Dumping process images", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue;
            }
            Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name());
            Long base = context.options().number("base").orElse(null);
            if (base == null) {
                Readout<Long> imageBase = new PebReader(s.layer(), kernel.discovery().profile()).read(s.process()
                        .peb()).imageBase();
                if (!imageBase.isPresent()) {
                    Unavailable why = new Unavailable(imageBase.reason(), imageBase.cause());
                    row.setCell(ADDRESS, why).setCell(SIZE, why).set(DETAIL,
                            "the image base could not be read");
                    continue;
                }
                base = imageBase.get();
            }
            row.set(ADDRESS, base);
            VadList list = vads.walk(s.process().eprocess());
            WinVad vad = list.find(base);
            if (vad == null) {
                row.missing(SIZE, "no VAD covers 0x" + Long.toHexString(base)).set(DETAIL, "nothing mapped there");
                continue;
            }
            long size = vad.end() - vad.start() + 1;
            row.set(SIZE, size);
            Path file = context.outputFile(s.process().pid() + "." + safe(s.process().name()) + ".0x"
                    + Long.toHexString(base) + ".img");
            try (RegionDump dump = new RegionDump(file)) {
                dump.copy(s.layer(), vad.start(), size, 0);
                String sha = dump.finish();
                result.addFile(new OutputFile(file, size, sha, s.process().name() + " image at 0x" + Long
                        .toHexString(base) + " (" + dump.summary() + ")"));
                row.set(DETAIL, file.getFileName() + ": " + dump.summary());
                for (RegionDump.MissingPage m : dump.missing()) {
                    row.addChild().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(ADDRESS, m
                            .virtualAddress()).set(SIZE, (long) RegionDump.PAGE).setCell(DETAIL, MissingText.of(m
                                    .missing()));
                    if (m.missing().cause() instanceof MissingCause.PagedOut) {
                        pagefileMisses++;
                    }
                }
            } catch (IOException e) {
                throw new AnalysisException("cannot write " + file + ": " + e.getMessage(), e);
            }
            result.addFile(RegionDump.sidecarFile(file));
        }
        if (pagefileMisses > 0) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "paging file", pagefileMisses
                    + " page(s) are paged out: supply the paging file taken with the image (--pagefile pagefile.sys) "
                    + "to read them"));
        }
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
