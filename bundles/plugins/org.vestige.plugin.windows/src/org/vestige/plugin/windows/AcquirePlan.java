package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;

/**
 * {@code acquire.plan}: writes a collection kit for a live Windows machine into the output folder —
 * {@code collect.ps1} and its cmd.exe fallback {@code collect.cmd} — and lists, before anything runs, what
 * the kit will do, in order, with the tool and options of each step and why it comes where it does: memory
 * with the paging files first, then the files the disk holds, then process dumps (compressed and tested one
 * by one, protected processes and the script's own console host skipped), the disk image last. What the kit
 * brings back is what {@code case.import} reads.
 *
 * @since 0.1
 */
public final class AcquirePlan implements Analysis {

    public static final Column<Long> ORDER = Column.integer("Order");
    public static final Column<String> STEP = Column.string("Step");
    public static final Column<String> ACTION = Column.string("Action");
    public static final Column<String> WHY = Column.string("Why");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        KitSettings s = KitSettings.from(context);
        ResultTable table = ResultTable.of(ORDER, STEP, ACTION, WHY);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        String out = s.output();
        long order = 0;
        table.addRow().set(ORDER, order++).set(STEP, "prepare").set(ACTION, "create " + out + " with tmp\\, files\\ "
                + "and dumps\\; point TEMP and TMP at " + out + "\\tmp; log every step with its UTC time to "
                + out + "\\collection.log").set(WHY, s.outputOnSystemDrive() ? "the output is on the system drive "
                        + s.systemDrive() + ": the script refuses unless run with -AllowSystemDrive, since every file "
                        + "it writes there may overwrite deleted evidence" : "everything the kit writes, the tools' "
                                + "temporary files included, goes to " + s.outputDrive() + ", never to the system "
                                + "drive " + s.systemDrive() + " under investigation");
        table.addRow().set(ORDER, order++).set(STEP, "memory").set(ACTION, s.winpmem() + " -dd -o " + out
                + "\\memory.aff4 -p " + s.systemDrive() + "\\pagefile.sys -p " + s.systemDrive()
                + "\\swapfile.sys (each paging file that exists)").set(WHY, "memory changes fastest, so it is "
                        + "taken first, and the paging files in the same run so that their pages are as close in "
                        + "time to the memory that points at them as possible; " + KitSettings.WINPMEM + " because "
                        + "WinPmem 3.1-rc3 and later acquire on machines with Virtualization Based Security and "
                        + "Credential Guard, where WinPmem 2.x and 3.0 blue-screen the machine");
        table.addRow().set(ORDER, order++).set(STEP, "files").set(ACTION, (s.rawCopy().isEmpty()
                ? "$MFT: not copied (no --rawcopy given); " : s.rawCopy() + " copies " + s.systemDrive() + "\\$MFT; ")
                + "copy " + s.systemDrive() + "\\Windows\\Prefetch\\*.pf; wevtutil epl System, Security, "
                + "Application, Sysmon and PowerShell logs into " + out + "\\files").set(WHY, "the files memory "
                        + "analysis leans on (what ran, when, from where) change as the machine keeps running; "
                        + "copying them reads the disk but changes it less than dumping processes or imaging it");
        table.addRow().set(ORDER, order++).set(STEP, "process-dump").set(ACTION, s.procdump()
                + " -accepteula -ma PID for every process by pid, then " + s.sevenZip() + " a -t7z -mx=1 -w" + out
                + "\\tmp DUMP.7z DUMP, " + s.sevenZip() + " t DUMP.7z, and the dump deleted once the test passes")
                .set(WHY, "a full dump holds the pages the memory image has paged out or compressed; each is "
                        + "compressed as soon as it is written so the evidence drive holds one uncompressed dump at a "
                        + "time, with 7-Zip's working folder (-w) on the evidence drive so no temporary file lands on "
                        + "the system drive; the archive is tested before the dump is deleted");
        table.addRow().set(ORDER, order++).set(STEP, "process-dump").set(ACTION, "skip " + String.join(", ", s
                .skip()) + "; skip the script's own process and the conhost.exe whose parent is in the script's "
                        + "ancestry (the ParentProcessId chain of Win32_Process from $PID); record every refusal in "
                        + "the manifest").set(WHY, "protected processes refuse to be opened; ProcDump suspends the "
                                + "process it dumps, and suspending the console host of the script's own console "
                                + "stops the script; another console's conhost.exe is dumped like any process, "
                                + "so the script's own is found by ancestry, not by name");
        table.addRow().set(ORDER, order++).set(STEP, "disk").set(ACTION, s.diskImager().isEmpty()
                ? "not configured (--disk-imager): the script tells the responder to image the disk now"
                : s.diskImager()).set(WHY, "imaging reads the whole disk and changes the machine the most (caches, "
                        + "access times), so it comes last");
        table.addRow().set(ORDER, order).set(STEP, "manifest").set(ACTION, "after each file: Get-FileHash -Algorithm "
                + "SHA256 into " + out + "\\manifest.jsonl (utc, step, path, size, sha256; pid, process and "
                + "createTime for dumps; refused for a process not dumped)").set(WHY, "case.import verifies every "
                        + "file against it and matches each dump to its process by pid and creation time");
        write(context, result, "collect.ps1", KitScripts.powershell(s), "the collection script (PowerShell)");
        write(context, result, "collect.cmd", KitScripts.batch(s), "the cmd.exe fallback: memory, files and disk, "
                + "no process dumps");
        result.add(new Diagnostic(Diagnostic.Severity.INFO, "kit", "copy collect.ps1, collect.cmd and the tools ("
                + KitSettings.WINPMEM + ", procdump64.exe, 7za.exe) to the evidence drive and run "
                + "powershell -ExecutionPolicy Bypass -File collect.ps1 from an elevated prompt"));
        return result;
    }

    private static void write(AnalysisContext context, AnalysisResult result, String name, String text,
            String description) throws AnalysisException {
        Path file = context.outputFile(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            result.addFile(OutputFile.of(file, description));
        } catch (IOException e) {
            throw new AnalysisException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
