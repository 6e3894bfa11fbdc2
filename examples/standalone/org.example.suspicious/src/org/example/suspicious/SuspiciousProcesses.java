package org.example.suspicious;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.TimeMeaning;
import org.vestige.core.result.Unavailable;
import org.vestige.core.types.Profile;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.PebReader;
import org.vestige.windows.ProcessList;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WinVad;

/**
 * {@code windows.suspicious}: every process on the active list checked against how Windows starts
 * its own processes ({@link Lineage}), and its private memory checked for code. One row per process
 * with the number of findings, and when a process that drew findings was created, which puts it on
 * the case's timeline ({@code windows.timeliner}); each finding is a child row.
 */
public final class SuspiciousProcesses implements Analysis {

    static final Column<Long> PID = Column.pid("PID").subject();
    static final Column<Long> PPID = Column.pid("PPID");
    static final Column<String> PROCESS = Column.string("Process").subject();
    static final Column<String> PARENT = Column.string("Parent");
    static final Column<String> IMAGE = Column.string("Image");
    static final Column<Long> FINDINGS = Column.integer("Findings");
    static final Column<String> FINDING = Column.string("Finding");
    /** When a process that drew findings was created: the timeline shows it beside the case's other times. */
    static final Column<Instant> STARTED = Column.time("Started", TimeMeaning.CREATED);

    /** VadFlags.Protection values that allow execution: EXECUTE, EXECUTE_READ, EXECUTE_READWRITE, EXECUTE_WRITECOPY. */
    private static final int EXECUTABLE = 1 << 2 | 1 << 3 | 1 << 6 | 1 << 7;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        Profile profile = kernel.discovery().profile();
        ProcessList list = kernel.processes();
        List<Long> only = context.options().all("pid", Long.class);
        boolean memory = context.options().flag("memory");

        Map<Long, WinProcess> byPid = new HashMap<>();
        Map<String, Integer> instances = new HashMap<>();
        for (WinProcess p : list.processes()) {
            byPid.putIfAbsent(p.pid(), p);
            instances.merge(Lineage.key(p.name()), 1, Integer::sum);
        }

        ResultTable table = ResultTable.of(PID, PPID, PROCESS, PARENT, IMAGE, FINDINGS, FINDING, STARTED);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "active process list", w)));
        VadWalker vadWalker = new VadWalker(kernel.discovery().kernel(), profile);
        SubMonitor progress = SubMonitor.convert(monitor, "Checking processes", list.processes().size());
        for (WinProcess p : list.processes()) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            progress.worked(1);
            if (!only.isEmpty() && !only.contains(p.pid())) {
                continue;
            }
            Row row = table.addRow().set(PID, p.pid()).set(PPID, p.ppid()).set(PROCESS, p.name());
            Optional<WinProcess> parent = liveParent(p, byPid);
            if (parent.isPresent()) {
                row.set(PARENT, parent.get().name());
            } else {
                row.missing(PARENT, p.ppid() == 0 ? "none" : "pid " + p.ppid() + " is not running");
            }

            Readout<String> image = p.peb() == 0 ? Readout.missing("no user address space (no PEB)")
                    : new PebReader(kernel.processLayers().layer(p), profile).read(p.peb()).imagePath();
            if (image.isPresent()) {
                row.set(IMAGE, image.get());
            } else {
                row.setCell(IMAGE, new Unavailable(image.reason()));
            }

            List<String> findings = new ArrayList<>();
            Lineage.of(p.name()).ifPresentOrElse(
                    expected -> checkLineage(p, expected, parent, image, instances, findings),
                    () -> Lineage.lookalike(p.name()).ifPresent(known -> findings.add("its name is one letter away "
                            + "from " + known + ", a Windows process")));
            if (memory && p.peb() != 0) {
                VadList vads = vadWalker.walk(p.eprocess());
                for (WinVad v : vads.vads()) {
                    if (v.privateMemory() && (EXECUTABLE & 1 << (v.protection() & 7)) != 0 && v.commitCharge() > 0) {
                        findings.add("private executable memory 0x" + Long.toHexString(v.start()) + "-0x"
                                + Long.toHexString(v.end()) + " (" + v.protectionName() + ", " + v.commitCharge()
                                + " pages committed): code that no image file backs");
                    }
                }
                vads.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, p.toString(), w)));
            }

            row.set(FINDINGS, (long) findings.size());
            if (!findings.isEmpty()) {
                row.set(STARTED, p.createTime());
            }
            for (String f : findings) {
                row.addChild().set(PID, p.pid()).set(PROCESS, p.name()).set(FINDING, f);
            }
        }
        return result;
    }

    /**
     * @return the process's parent when it is still on the list; a process with the parent's id that
     *         was created after the child reuses a freed id and is not the parent
     */
    static Optional<WinProcess> liveParent(WinProcess p, Map<Long, WinProcess> byPid) {
        WinProcess candidate = p.ppid() == 0 ? null : byPid.get(p.ppid());
        if (candidate == null || candidate == p) {
            return Optional.empty();
        }
        if (candidate.createTime() != null && p.createTime() != null && candidate.createTime().isAfter(p
                .createTime())) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }

    private static void checkLineage(WinProcess p, Lineage.Expectation expected, Optional<WinProcess> parent,
            Readout<String> image, Map<String, Integer> instances, List<String> findings) {
        switch (expected.parent()) {
            case Lineage.NONE -> {
                if (p.ppid() != 0 || p.pid() != 4) {
                    findings.add("the System process is pid 4 with no parent, not pid " + p.pid() + " with parent "
                            + p.ppid());
                }
            }
            case Lineage.EXITED -> parent.ifPresent(live -> findings.add("started by " + live.name() + " (pid "
                    + live.pid() + "), which is still running; the process that starts " + p.name()
                    + " exits once it has"));
            default -> {
                if (parent.isEmpty()) {
                    findings.add("its parent (pid " + p.ppid() + ") is not running; " + p.name() + " is started by "
                            + expected.parent() + ", which runs until shutdown");
                } else if (!Lineage.key(parent.get().name()).equals(Lineage.key(expected.parent()))) {
                    findings.add("started by " + parent.get().name() + " (pid " + parent.get().pid() + "), not by "
                            + expected.parent());
                }
            }
        }
        if (expected.path() == null) {
            if (p.peb() != 0) {
                findings.add("it has a user address space (PEB at 0x" + Long.toHexString(p.peb()) + "); Windows's "
                        + p.name() + " has none");
            }
        } else if (image.isPresent() && !Lineage.normalise(image.get()).equals(expected.path())) {
            findings.add("runs from " + image.get() + ", not from " + expected.path().substring(1)
                    .replaceFirst("^windows", "%SystemRoot%"));
        }
        int count = instances.getOrDefault(Lineage.key(p.name()), 0);
        if (expected.single() && count > 1) {
            findings.add("one of " + count + " processes named " + p.name() + "; Windows runs one");
        }
    }
}
