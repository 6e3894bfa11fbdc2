package org.vestige.plugin.windows;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.InjectedCode;
import org.vestige.windows.Readout;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Disassembler;

/**
 * {@code windows.malfind}: executable private memory that holds something — code a process did not load
 * from an image, as injection and unpacking leave it — and executable image pages the process changed, as
 * inline hooks and patches leave them. One row per private region (kind {@code private}): the VAD, its
 * protection and pool tag, whether it begins with a PE header, where its pages come from, and its first
 * bytes in hex and disassembled (x86-64, by Capstone). One row per run of changed image pages (kind
 * {@code modified image}): the pages, the image VAD's protection and tag, the module and section, and the
 * bytes from the first one that differs from the image's page.
 *
 * @since 0.1
 */
public final class Malfind implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<String> KIND = Column.string("Kind");
    public static final Column<Long> START = Column.address("Start");
    public static final Column<Long> END = Column.address("End");
    public static final Column<String> PROTECTION = Column.string("Protection");
    public static final Column<String> TAG = Column.string("Tag");
    public static final Column<Long> COMMIT = Column.integer("CommitCharge");
    public static final Column<Boolean> PE = Column.bool("PE");
    public static final Column<PageProvenance> FIRST_PAGE = Column.provenance("FirstPage");
    public static final Column<String> PAGES = Column.string("Pages");
    public static final Column<String> MODULE = Column.string("Module");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<byte[]> HEX = Column.bytes("Hex");
    public static final Column<String> DISASSEMBLY = Column.string("Disassembly");

    /** Instructions shown per region. */
    private static final int INSTRUCTIONS = 12;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, KIND, START, END, PROTECTION, TAG, COMMIT, PE, FIRST_PAGE,
                PAGES, MODULE, ADDRESS, HEX, DISASSEMBLY);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        InjectedCode scanner;
        try {
            scanner = new InjectedCode(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe VADs: " + e.getMessage());
        }
        X64Disassembler disassembler = X64Disassembler.get();
        if (!disassembler.available()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "windows.malfind", disassembler
                    .unavailableReason()));
        }
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Looking for executable private memory", processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            if (s.process().peb() == 0) {
                continue; // no user address space
            }
            InjectedCode.Scan scan = scanner.scan(s.process().eprocess(), s.layer());
            String subject = s.process().toString();
            scan.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            for (InjectedCode.Finding f : scan.findings()) {
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(KIND,
                        "private").set(START, f.vad().start()).set(END, f.vad().end()).set(PROTECTION, f.vad()
                                .protectionName()).set(COMMIT, f.vad().commitCharge()).set(PAGES, f.pages().toString())
                        .set(ADDRESS, f.vad().start());
                row.setCell(MODULE, new Unavailable("private memory maps no module"));
                Selected.cell(row, PE, f.firstBytes().map(b -> f.peHeader()));
                Selected.cell(row, TAG, f.tag());
                if (f.firstPage() != null) {
                    row.set(FIRST_PAGE, f.firstPage());
                } else {
                    row.setCell(FIRST_PAGE, new Unavailable("no page was read"));
                }
                Selected.cell(row, HEX, f.firstBytes());
                Selected.cell(row, DISASSEMBLY, disassembly(disassembler, f.firstBytes(), f.vad().start()));
            }
            for (InjectedCode.Patch p : scan.patches()) {
                Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(KIND,
                        "modified image").set(START, p.start()).set(END, p.end()).set(PROTECTION, p.vad()
                                .protectionName()).set(COMMIT, p.vad().commitCharge()).set(PE, false).set(FIRST_PAGE, p
                                        .firstPage()).set(PAGES, p.pages().toString()).set(ADDRESS, p.address()).set(
                                                HEX, p.bytes());
                Selected.cell(row, TAG, scanner.tag(p.vad()));
                Selected.cell(row, MODULE, p.vad().file().map(f -> f.substring(f.lastIndexOf('\\') + 1) + " "
                        + p.section()));
                Selected.cell(row, DISASSEMBLY, disassembly(disassembler, Readout.of(p.bytes()), p.address()));
            }
            if (!scan.unchecked().isEmpty()) {
                result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, scan.unchecked().size()
                        + " own copies of image code pages not compared with the image: " + String.join("; ", scan
                                .unchecked())));
            }
        }
        return result;
    }

    private static Readout<String> disassembly(X64Disassembler disassembler, Readout<byte[]> bytes, long address) {
        if (!bytes.isPresent()) {
            return Readout.missing(bytes.cause(), bytes.reason());
        }
        if (!disassembler.available()) {
            return Readout.missing(disassembler.unavailableReason());
        }
        List<X64Disassembler.Instruction> code = disassembler.disassemble(bytes.get(), address, INSTRUCTIONS);
        return code.isEmpty() ? Readout.missing("the first bytes decode to no x86-64 instruction") : Readout.of(code
                .stream().map(X64Disassembler.Instruction::toString).collect(Collectors.joining("; ")));
    }
}
