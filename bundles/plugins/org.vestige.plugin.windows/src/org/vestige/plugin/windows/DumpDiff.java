package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MonitoredScan;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.layer.crashdump.Minidump;
import org.vestige.windows.DumpComparison;
import org.vestige.windows.DumpComparison.Status;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.dumpdiff}: compares a process in the memory image with a minidump of the same process
 * (ProcDump, Task Manager, WinDbg's {@code .dump /ma}), module by module and PE section by section, page
 * by page: which pages match, which differ, which the image lacks (with the image's reason, e.g. paged
 * out to pagefile.sys at an offset) and which the minidump lacks. The result is a tree — module, section,
 * the pages that do not match — with counts on every module and section row.
 *
 * @since 0.1
 */
public final class DumpDiff implements Analysis {

    public static final Column<String> MODULE = Column.string("Module");
    public static final Column<String> SECTION = Column.string("Section");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> STATUS = Column.string("Status");
    public static final Column<Long> MATCHING = Column.integer("Matching");
    public static final Column<Long> DIFFERING = Column.integer("Differing");
    public static final Column<Long> MISSING_IN_IMAGE = Column.integer("MissingInImage");
    public static final Column<Long> MISSING_IN_DUMP = Column.integer("MissingInDump");
    public static final Column<Long> MISSING_IN_BOTH = Column.integer("MissingInBoth");
    public static final Column<PageProvenance> IMAGE = Column.provenance("Image");
    public static final Column<String> DUMP = Column.string("Dump");

    private static final int PAGE = 4096;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        long pid = context.options().number("pid").orElseThrow(() -> new AnalysisException(
                "windows.dumpdiff needs --pid, the process the minidump was taken of"));
        Path dumpFile = context.options().path("minidump").orElseThrow(() -> new AnalysisException(
                "windows.dumpdiff needs --minidump FILE"));
        Selected.Process s = Selected.processes(context, kernel).stream().filter(p -> p.process().pid() == pid)
                .findFirst().orElseThrow(() -> new AnalysisException("no process with pid " + pid
                        + " is on the image's active process list"));
        ResultTable table = ResultTable.of(MODULE, SECTION, ADDRESS, SIZE, STATUS, MATCHING, DIFFERING,
                MISSING_IN_IMAGE, MISSING_IN_DUMP, MISSING_IN_BOTH, IMAGE, DUMP);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        try {
            EvidenceCase.requireReadableFile(dumpFile);
        } catch (EvidenceException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        try (Minidump dump = Minidump.open(dumpFile)) {
            DumpComparison.Result r = DumpComparison.compare(s.process(), s.layer(), kernel.discovery().profile(),
                    dump, new MonitoredScan(monitor, "Comparing " + s.process().name() + " with " + dumpFile
                            .getFileName()));
            render(r, table, result);
            if (r.pagedOut() > 0) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, "paging file", r.pagedOut()
                        + " page(s) the minidump has are paged out in the image: supply the paging file taken with the "
                        + "image (--pagefile pagefile.sys) to compare them"));
            }
        } catch (CancellationException e) {
            throw new OperationCanceledException();
        } catch (EvidenceException e) {
            throw new AnalysisException("cannot read the minidump " + dumpFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AnalysisException("cannot close " + dumpFile + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** Adds the comparison's modules, sections and unmatched pages to {@code table}, its notes to {@code result}. */
    static void render(DumpComparison.Result r, ResultTable table, AnalysisResult result) {
        r.notes().forEach(n -> result.add(new Diagnostic(n.warning() ? Diagnostic.Severity.WARNING
                : Diagnostic.Severity.INFO, n.subject(), n.text())));
        for (DumpComparison.Module m : r.modules()) {
            Row row = table.addRow().set(MODULE, m.name()).set(ADDRESS, m.base()).set(SIZE, m.size()).set(DUMP,
                    switch (m.listedBy()) {
                        case BOTH -> "listed by both";
                        case IMAGE -> "not listed by the minidump";
                        case DUMP -> "not listed by the image";
                    });
            counts(row, m.counts());
            for (DumpComparison.Section sec : m.sections()) {
                Row sectionRow = row.addChild().set(MODULE, m.name()).set(SECTION, sec.name()).set(ADDRESS, sec.va())
                        .set(SIZE, sec.size());
                counts(sectionRow, sec.counts());
                for (DumpComparison.Page p : sec.unmatched()) {
                    sectionRow.addChild().set(MODULE, m.name()).set(SECTION, sec.name()).set(ADDRESS, p.va()).set(
                            SIZE, (long) PAGE).set(STATUS, p.status().text()).set(IMAGE, p.image()).set(DUMP, p
                                    .detail());
                }
            }
        }
    }

    /** Sets the count columns and the status summary of a module or section row. */
    static void counts(Row row, DumpComparison.Counts c) {
        row.set(MATCHING, c.get(Status.MATCHES)).set(DIFFERING, c.get(Status.DIFFERS)).set(MISSING_IN_IMAGE, c.get(
                Status.NOT_IN_IMAGE)).set(MISSING_IN_DUMP, c.get(Status.NOT_IN_DUMP)).set(MISSING_IN_BOTH, c.get(
                        Status.NOT_IN_EITHER));
        long total = c.total();
        row.set(STATUS, c.get(Status.MATCHES) == total ? "all " + total + " page(s) match" : (total - c.get(
                Status.MATCHES)) + " of " + total + " page(s) do not match");
    }
}
