package org.vestige.windows.ui;

import java.util.List;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.Requirement;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.ResultTable;
import org.vestige.plugin.windows.WindowsKernel;
import org.vestige.ui.Cases;

/**
 * Runs a piece of view work against a case's Windows kernel inside the case's analysis session, so
 * views share the kernel (and its caches) with every analysis run on the case.
 */
final class WindowsSession {

    private static final PluginInfo VIEW = new PluginInfo("workbench.view", "Workbench view", "Vestige", "", "windows",
            List.of(), List.of(new Requirement(Requirement.EVIDENCE, null)), "org.vestige.windows.ui");

    private WindowsSession() {
    }

    static <T> T with(Cases.OpenCase c, IProgressMonitor monitor, Function<WindowsKernel, T> work)
            throws AnalysisException {
        Object[] out = new Object[1];
        c.session().run(VIEW, (context, m) -> {
            out[0] = work.apply(WindowsKernel.require(context));
            return new AnalysisResult(VIEW.id(), ResultTable.of());
        }, Options.defaults(VIEW), monitor);
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }
}
