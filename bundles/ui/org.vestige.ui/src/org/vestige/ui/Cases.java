package org.vestige.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.AnalysisSession;

/**
 * The cases open in the workbench. Opening one (checking, hashing, probing the evidence) runs as
 * a job with progress; listeners hear about it on whatever thread the job ends on.
 *
 * @since 0.1
 */
public final class Cases {

    /** An open case: the evidence, the session analyses run in, and the settings it was opened with. */
    public record OpenCase(EvidenceCase evidence, AnalysisSession session, CaseSettings settings) {
        public String label() {
            return evidence.image().path().getFileName().toString();
        }
    }

    /** Hears about cases opening and closing. */
    public interface Listener {
        void changed(List<OpenCase> cases);
    }

    private final List<OpenCase> open = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public List<OpenCase> all() {
        return List.copyOf(open);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /**
     * Schedules a job that opens a case with default settings and no extra symbols.
     *
     * @see #open(Path, List, CaseSettings)
     */
    public Job open(Path image, List<PagefileSpec> pagefiles, boolean hash, Path outputDirectory) {
        return open(image, pagefiles, new CaseSettings(hash, outputDirectory, List.of(), Set.of()));
    }

    /**
     * Schedules a job that opens a case; the job's result is an error status naming the file and
     * the problem when the evidence cannot be opened.
     */
    public Job open(Path image, List<PagefileSpec> pagefiles, CaseSettings settings) {
        Job job = Job.create("Opening " + image.getFileName(), (IProgressMonitor monitor) -> {
            try {
                EvidenceCase c = EvidenceCase.open(image, pagefiles, VestigeUi.get().extensions().formats(),
                        EvidenceCase.Options.defaults().withHash(settings.hash()).withCache(CaseCache.userDefault()),
                        monitor);
                add(new OpenCase(c, new AnalysisSession(c, VestigeUi.get().extensions(), settings
                        .sessionSettings()), settings));
                return Status.OK_STATUS;
            } catch (EvidenceException e) {
                return Status.error(e.getMessage(), e);
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }

    private void add(OpenCase c) {
        open.add(c);
        fire();
    }

    public void close(OpenCase c) {
        if (open.remove(c)) {
            try {
                c.session().close();
            } catch (IOException e) {
                VestigeUi.get().getLog().log(Status.warning("closing " + c.label() + ": " + e.getMessage(), e));
            }
            fire();
        }
    }

    void closeAll() {
        for (OpenCase c : new ArrayList<>(open)) {
            close(c);
        }
    }

    private void fire() {
        List<OpenCase> snapshot = all();
        for (Listener l : listeners) {
            l.changed(snapshot);
        }
    }
}
