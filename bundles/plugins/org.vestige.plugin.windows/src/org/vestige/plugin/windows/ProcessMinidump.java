package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.Layer;
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
import org.vestige.core.types.Profile;
import org.vestige.layer.crashdump.MinidumpWriter;
import org.vestige.layer.crashdump.ProcessorArchitecture;
import org.vestige.layer.crashdump.SystemInfo;
import org.vestige.layer.crashdump.X64Context;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PeHeaders;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinModule;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.minidump}: writes a full-memory minidump (MDMP) of a process from the memory image, as
 * a debugger or a minidump reader expects it: the system (build from the kernel, AMD64, processor
 * count), the modules from the PEB, the threads from the process's thread list (TEB, stack, the
 * registers of the trap frame where it holds user-mode state), the process id and create time, and the
 * memory of every VAD. Pages the image cannot supply are left out of the file, never written as zeros:
 * each run left out is listed with its reason.
 *
 * @since 0.1
 */
public final class ProcessMinidump implements Analysis {

    public static final Column<Long> PID = Column.pid("PID");
    public static final Column<String> PROCESS = Column.string("Process");
    public static final Column<Long> ADDRESS = Column.address("Address");
    public static final Column<Long> SIZE = Column.size("Size");
    public static final Column<String> DETAIL = Column.string("Detail");

    /** Diagnostics name at most this many runs left out per process; the rows list them all. */
    private static final int DIAGNOSED_RUNS = 100;
    private static final long KUSER_SHARED_DATA = 0xFFFFF78000000000L;

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        WindowsKernel kernel = WindowsKernel.require(context);
        ResultTable table = ResultTable.of(PID, PROCESS, ADDRESS, SIZE, DETAIL);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        List<Selected.Process> processes = Selected.processes(context, kernel);
        for (Long pid : context.options().all("pid", Long.class)) {
            if (processes.stream().noneMatch(s -> s.process().pid() == pid)) {
                result.add(new Diagnostic(Diagnostic.Severity.ERROR, "pid " + pid,
                        "no process with this id is on the active process list"));
            }
        }
        Profile profile = kernel.discovery().profile();
        SystemInfo system = systemInfo(kernel);
        VadWalker vads = new VadWalker(kernel.discovery().kernel(), profile);
        DumpBounds bounds = new DumpBounds(context.requireEvidence());
        ThreadReader threads = new ThreadReader(kernel.discovery().kernel(), profile);
        SubMonitor progress = SubMonitor.convert(monitor, "Writing minidumps", processes.size());
        for (Selected.Process s : processes) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            progress.split(1);
            String subject = s.process().toString();
            Row row = table.addRow().set(PID, s.process().pid()).set(PROCESS, s.process().name());
            if (s.process().peb() == 0) {
                row.missing(ADDRESS, "no user address space").missing(SIZE, "no user address space").set(DETAIL,
                        "nothing to dump: the process has no user address space");
                continue;
            }
            MinidumpWriter writer = new MinidumpWriter(system).processId(s.process().pid()).omitUnavailable(true);
            if (s.process().createTime() != null) {
                writer.processCreateTime(s.process().createTime());
            }
            int modules = addModules(writer, s, profile, result, subject);
            int withContext = 0;
            ThreadReader.Threads found = threads.read(s.process(), s.layer());
            found.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            for (ThreadReader.Thread t : found.threads()) {
                X64Context registers = t.registers().isEmpty() ? null : X64Context.of(t.registers());
                withContext += registers == null ? 0 : 1;
                long stackStart = t.stackLimit();
                long stackSize = t.stackBase() - t.stackLimit();
                if (registers != null && Long.compareUnsigned(registers.rsp(), t.stackLimit()) >= 0 && Long
                        .compareUnsigned(registers.rsp(), t.stackBase()) < 0) {
                    stackStart = registers.rsp() & ~0xfL; // what a debugger walks: from the stack pointer up
                    stackSize = t.stackBase() - stackStart;
                }
                writer.thread(new MinidumpWriter.Thread((int) t.tid(), t.teb(), stackStart, stackSize, registers));
                if (t.note() != null) {
                    result.add(new Diagnostic(Diagnostic.Severity.INFO, subject + " thread " + t.tid(), t.note()));
                }
            }
            VadList list = vads.walk(s.process().eprocess());
            list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            long requested = 0;
            for (WinVad v : bounds.dumpable(list.vads(), subject, result).stream().sorted(Comparator.comparingLong(
                    WinVad::start)).toList()) {
                writer.memory(v.start(), v.end() - v.start() + 1);
                requested += v.end() - v.start() + 1;
            }
            Path file = context.outputFile(s.process().pid() + "." + ProcDump.safe(s.process().name())
                    + ".mdmp");
            MinidumpWriter.Result written;
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                written = writer.write(file, s.layer());
            } catch (IOException e) {
                throw new AnalysisException("cannot write " + file + ": " + e.getMessage(), e);
            }
            String summary = "%d module(s), %d thread(s) (%d with registers), %d of %d VAD byte(s) in %d range(s); %d left out in %d run(s)"
                    .formatted(modules, found.threads().size(), withContext, written.memoryBytes(), requested, written
                            .memoryRanges(), written.omittedBytes(), written.omitted().size());
            row.missing(ADDRESS, "the whole process").set(SIZE, written.size()).set(DETAIL, file.getFileName() + ": "
                    + summary);
            result.addFile(new OutputFile(file, written.size(), written.sha256(), s.process().name() + " minidump ("
                    + summary + ")"));
            long pagedOut = 0;
            int diagnosed = 0;
            for (MinidumpWriter.Omitted o : written.omitted()) {
                row.addChild().set(PID, s.process().pid()).set(PROCESS, s.process().name()).set(ADDRESS, o.base())
                        .set(SIZE, o.size()).setCell(DETAIL, new MissingText("left out: " + o.reason(), o
                                .cause()));
                if (diagnosed++ < DIAGNOSED_RUNS) {
                    result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, "0x%x-0x%x (0x%x bytes) left out: %s"
                            .formatted(o.base(), o.base() + o.size() - 1, o.size(), o.reason())));
                }
                if (o.cause() instanceof MissingCause.PagedOut) {
                    pagedOut += (o.size() + 0xfff) >>> 12;
                }
            }
            if (diagnosed > DIAGNOSED_RUNS) {
                result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, (diagnosed - DIAGNOSED_RUNS)
                        + " further run(s) left out; the result rows list them all"));
            }
            if (!written.omitted().isEmpty()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "%d byte(s) in %d run(s) could not be read from the image and are absent from %s (not zero-filled)"
                        .formatted(written.omittedBytes(), written.omitted().size(), file.getFileName())));
            }
            if (pagedOut > 0) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, "paging file", pagedOut
                        + " page(s) are paged out: supply the paging file taken with the image (--pagefile pagefile.sys) to include them"));
            }
        }
        return result;
    }

    /** Adds the PEB's modules (load order) with the time stamp and checksum of their headers; returns how many. */
    private static int addModules(MinidumpWriter writer, Selected.Process s, Profile profile, AnalysisResult result,
            String subject) {
        Readout<ModuleList> modules = new PebReader(s.layer(), profile).modules(s.process().peb(),
                ModuleWalker.Order.LOAD);
        if (!modules.isPresent()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "no module list: " + modules.reason()));
            return 0;
        }
        modules.get().warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
        int n = 0;
        for (WinModule m : modules.get().modules()) {
            if (m.size() <= 0 || m.size() > 0xffffffffL) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "module " + m
                        + " has an implausible SizeOfImage; not listed"));
                continue;
            }
            String name = m.fullName().isPresent() ? m.fullName().get() : m.baseName().orElse("");
            if (name.isEmpty()) {
                name = "module at 0x" + Long.toHexString(m.base());
            }
            int stamp = 0;
            int checkSum = 0;
            byte[] header = new byte[4096];
            if (s.layer().read(m.base(), header, 0, header.length) == header.length) {
                try {
                    PeHeaders pe = PeHeaders.parse(header);
                    stamp = pe.timeDateStamp();
                    checkSum = pe.checkSum();
                } catch (IllegalArgumentException e) {
                    result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, name + ": headers not parsed ("
                            + e.getMessage() + "); time stamp and checksum written as 0"));
                }
            } else {
                result.add(new Diagnostic(Diagnostic.Severity.INFO, subject, name + ": the header page cannot be read ("
                        + reason(s.layer(), m.base()) + "); time stamp and checksum written as 0"));
            }
            writer.module(new MinidumpWriter.Module(name, m.base(), m.size(), stamp, checkSum));
            n++;
        }
        return n;
    }

    /**
     * The system as the kernel describes it: the build discovery found, the version and active processor
     * count from {@code _KUSER_SHARED_DATA} where the profile has them.
     */
    static SystemInfo systemInfo(WindowsKernel kernel) {
        Profile p = kernel.discovery().profile();
        Layer k = kernel.discovery().kernel();
        int build = kernel.discovery().build();
        int major = (int) kuser(k, p, "NtMajorVersion", 4, build >= 10240 ? 10 : 6);
        int minor = (int) kuser(k, p, "NtMinorVersion", 4, build >= 10240 ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2
                : build >= 7600 ? 1 : 0);
        int processors = (int) kuser(k, p, "ActiveProcessorCount", 4, 0);
        if (processors <= 0 || processors > 255) {
            processors = 0; // not known: the field is absent, unreadable or implausible
        }
        return SystemInfo.windows(ProcessorArchitecture.AMD64, major, minor, build, "", processors);
    }

    private static long kuser(Layer kernel, Profile p, String field, int size, long fallback) {
        if (!p.has("_KUSER_SHARED_DATA", field)) {
            return fallback;
        }
        byte[] b = new byte[size];
        if (kernel.read(KUSER_SHARED_DATA + p.offset("_KUSER_SHARED_DATA", field), b, 0, size) != size) {
            return fallback;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v == 0 && !field.equals("ActiveProcessorCount") ? fallback : v;
    }

    private static String reason(Layer layer, long va) {
        var p = layer.provenance(va);
        return p instanceof org.vestige.core.layer.PageProvenance.Missing m ? m.reason() : p.kind();
    }
}
