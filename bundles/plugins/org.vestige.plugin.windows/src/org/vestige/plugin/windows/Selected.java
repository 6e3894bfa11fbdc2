package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.MinidumpProcess;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinVad;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/** The processes an analysis was asked about ({@code --pid}, or all), with their address spaces. */
final class Selected {

    private Selected() {
    }

    record Process(WinProcess process, X64Layer layer) {
    }

    static List<Process> processes(AnalysisContext context, WindowsKernel kernel) {
        List<Long> only = context.options().has("pid") ? context.options().all("pid", Long.class) : List.of();
        List<Process> out = new ArrayList<>();
        for (WinProcess p : kernel.processes().processes()) {
            if (only.isEmpty() || only.contains(p.pid())) {
                out.add(new Process(p, kernel.processLayers().layer(p)));
            }
        }
        return out;
    }

    /**
     * @return whether a minidump's process passes the analysis's {@code --pid} filter; when it does not,
     *         the result says which process the dump holds
     */
    static boolean dump(MinidumpProcess dump, AnalysisContext context, AnalysisResult result) {
        List<Long> only = context.options().has("pid") ? context.options().all("pid", Long.class) : List.of();
        if (only.isEmpty() || (dump.pid().isPresent() && only.contains(dump.pid().getAsLong()))) {
            return true;
        }
        result.add(new Diagnostic(Diagnostic.Severity.WARNING, "--pid", "no process matches " + only + ": "
                + dump.describe()));
        return false;
    }

    /**
     * @return the process's VADs in address order; what the walk met on the way (a damaged node, a loop) is
     *         added to the result as warnings naming the process
     */
    static List<WinVad> vadsInOrder(VadWalker walker, Process s, AnalysisResult result) {
        VadList vads = walker.walk(s.process().eprocess());
        vads.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, s.process().toString(),
                w)));
        return vads.vads().stream().sorted(Comparator.comparingLong(WinVad::start)).toList();
    }

    /** Sets a cell from a readout: its value, or missing with the reason. */
    static <T> void cell(Row row, org.vestige.core.result.Column<T> column, Readout<T> value) {
        if (value.isPresent()) {
            row.set(column, value.get());
        } else {
            row.setCell(column, new Unavailable(value.reason(), value.cause()));
        }
    }
}
