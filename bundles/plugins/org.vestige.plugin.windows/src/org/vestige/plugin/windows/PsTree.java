package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.windows.ProcessList;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;

/**
 * {@code windows.pstree}: the active processes as a tree by parent id. A process whose parent is
 * not on the list (it exited, or its id was reused by a younger process) is a root; parent-id loops
 * cannot recurse, each process appears once.
 *
 * @since 0.1
 */
public final class PsTree implements Analysis {

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ProcessList list = WindowsKernel.require(context).processes();
        ResultTable table = PsList.table();
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        Map<Long, WinProcess> byPid = new HashMap<>();
        for (WinProcess p : list.processes()) {
            byPid.putIfAbsent(p.pid(), p);
        }
        Map<Long, List<WinProcess>> children = new HashMap<>();
        List<WinProcess> roots = new ArrayList<>();
        for (WinProcess p : list.processes()) {
            WinProcess parent = byPid.get(p.ppid());
            // a parent created after its "child" is a reused id, not the real parent
            boolean real = parent != null && parent != p && (parent.createTime() == null || p.createTime() == null
                    || !parent.createTime().isAfter(p.createTime()));
            if (real) {
                children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(p);
            } else {
                roots.add(p);
            }
        }
        Set<WinProcess> placed = new HashSet<>();
        for (WinProcess r : roots) {
            add(table.addRow(), r, children, placed);
        }
        for (WinProcess p : list.processes()) {
            if (!placed.contains(p)) {
                // only processes caught in a parent-id loop are left: show them at the top
                add(table.addRow(), p, children, placed);
            }
        }
        PsList.report(result, list);
        return result;
    }

    private static void add(Row row, WinProcess p, Map<Long, List<WinProcess>> children, Set<WinProcess> placed) {
        placed.add(p);
        PsList.fill(row, p);
        for (WinProcess c : children.getOrDefault(p.pid(), List.of())) {
            if (!placed.contains(c)) {
                add(row.addChild(), c, children, placed);
            }
        }
    }
}
