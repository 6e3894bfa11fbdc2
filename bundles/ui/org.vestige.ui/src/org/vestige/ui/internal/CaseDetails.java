package org.vestige.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.vestige.core.plugin.Options;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.ui.AnalysisJob;
import org.vestige.ui.Cases;
import org.vestige.ui.VestigeUi;

/**
 * What the {@code org.vestige.ui.evidenceDetails} contributions say about each open case: every
 * contributed analysis (for Windows, {@code windows.info}: the kernel found, the profile, the stores and
 * every discovery attempt) runs once in the case's own session when the case opens, so the Evidence
 * view shows exactly what the headless analysis prints, and later analyses reuse what it found.
 */
final class CaseDetails {

    static final String EXTENSION_POINT = VestigeUi.ID + ".evidenceDetails";

    /** One contribution's answer for one case: still running, a result, or why there is none. */
    record Detail(String name, String analysisId, AnalysisJob job, AnalysisResult result, String problem) {

        boolean running() {
            return result == null && problem == null;
        }
    }

    private static final Map<Cases.OpenCase, List<Detail>> DETAILS = new ConcurrentHashMap<>();
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
    private static boolean listening;

    private CaseDetails() {
    }

    /** Hears when a case's details change (on the thread the job ends on). */
    static void addListener(Runnable l) {
        LISTENERS.add(l);
    }

    static void removeListener(Runnable l) {
        LISTENERS.remove(l);
    }

    /** @return the details for a case, starting the contributed analyses the first time it is asked */
    static synchronized List<Detail> of(Cases.OpenCase c) {
        if (!listening) {
            VestigeUi.get().cases().addListener(open -> {
                for (Cases.OpenCase closed : new ArrayList<>(DETAILS.keySet())) {
                    if (!open.contains(closed)) {
                        DETAILS.remove(closed).stream().filter(d -> d.job() != null).forEach(d -> d.job().cancel());
                    }
                }
            });
            listening = true;
        }
        List<Detail> known = DETAILS.get(c);
        if (known != null) {
            return known;
        }
        List<Detail> started = new ArrayList<>();
        for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
            String name = e.getAttribute("name");
            String id = e.getAttribute("analysis");
            if (name == null || id == null) {
                VestigeUi.get().getLog().warn(e.getContributor().getName() + ": an evidenceDetails contribution needs "
                        + "a name and an analysis");
                continue;
            }
            PluginDescriptor plugin = VestigeUi.get().extensions().plugin(id).orElse(null);
            if (plugin == null) {
                started.add(new Detail(name, id, null, null, "analysis " + id + " is not installed"));
                continue;
            }
            AnalysisJob job = new AnalysisJob(c, plugin, Options.defaults(plugin.info())).unkept();
            job.setUser(false);
            job.addJobChangeListener(new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
                @Override
                public void done(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
                    finished(c, job, event.getResult());
                    LISTENERS.forEach(Runnable::run);
                }
            });
            started.add(new Detail(name, id, job, null, null));
        }
        DETAILS.put(c, List.copyOf(started));
        started.stream().filter(d -> d.job() != null).forEach(d -> d.job().schedule());
        return DETAILS.get(c);
    }

    private static synchronized void finished(Cases.OpenCase c, AnalysisJob job, IStatus status) {
        List<Detail> details = DETAILS.get(c);
        if (details == null) {
            return; // closed meanwhile
        }
        List<Detail> updated = new ArrayList<>();
        for (Detail d : details) {
            if (d.job() == job) {
                String problem = status.isOK() ? null : status.getSeverity() == IStatus.CANCEL ? "cancelled" : status
                        .getMessage();
                updated.add(new Detail(d.name(), d.analysisId(), job, status.isOK() ? job.result() : null, problem));
            } else {
                updated.add(d);
            }
        }
        DETAILS.put(c, List.copyOf(updated));
    }
}
