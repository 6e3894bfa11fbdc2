package org.vestige.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobFunction;
import org.eclipse.core.runtime.jobs.Job;
import org.vestige.core.evidence.CaseCache;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.AnalysisSession;

/**
 * The cases open in the workbench. Opening one (checking, hashing, probing the evidence) runs as
 * a job with progress, and the case is usable as soon as it is probed: its evidence is hashed by a
 * job of its own, listeners hearing again when the digests are in. Listeners hear about cases on
 * whatever thread the job ends on. With a
 * {@link CaseStore}, every case opened is kept in it, and the cases open when the workbench stopped
 * are opened again ({@link #reopen()}).
 *
 * @since 0.1
 */
public final class Cases {

    /**
     * An open case: the evidence, the session analyses run in, the settings it was opened with, and where it
     * is kept (null when the workbench keeps no cases).
     */
    public record OpenCase(EvidenceCase evidence, AnalysisSession session, CaseSettings settings,
            CaseStore.Kept kept) {
        /** @return the case's name: its image's file name, with its folder when another case has that name */
        public String label() {
            return kept != null ? kept.name() : evidence.image().path().getFileName().toString();
        }

        /**
         * @return a job (not yet scheduled) that works on this case: closing the case cancels it, so no view
         *         goes on reading evidence the analyst has closed
         */
        public Job job(String name, IJobFunction work) {
            OpenCase self = this;
            return new Job(name) {
                @Override
                protected IStatus run(IProgressMonitor monitor) {
                    try {
                        return work.run(monitor);
                    } catch (RuntimeException e) {
                        if (monitor.isCanceled()) {
                            // the case closed under it: its evidence is gone, which is no error of the job's
                            return Status.CANCEL_STATUS;
                        }
                        throw e;
                    }
                }

                @Override
                public boolean belongsTo(Object family) {
                    return family == self;
                }
            };
        }
    }

    /** Hears about cases opening and closing. */
    public interface Listener {
        void changed(List<OpenCase> cases);
    }

    private final List<OpenCase> open = new CopyOnWriteArrayList<>();
    private volatile CaseStore store;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Keeps the cases opened from now on in a store (null keeps none). */
    public void keepIn(CaseStore caseStore) {
        this.store = caseStore;
    }

    /** @return where cases are kept, or null */
    public CaseStore store() {
        return store;
    }

    /**
     * Opens again, each as a job, the kept cases that were open when the workbench stopped and are not
     * open now.
     *
     * @return the jobs opening them
     */
    public List<Job> reopen() {
        List<Job> jobs = new ArrayList<>();
        CaseStore s = store;
        if (s == null) {
            return jobs;
        }
        try {
            for (CaseStore.Kept k : s.open()) {
                if (open.stream().noneMatch(c -> c.kept() != null && c.kept().folder().equals(k.folder()))) {
                    jobs.add(open(k.image(), k.pagefiles(), k.settings()));
                }
            }
        } catch (IOException e) {
            VestigeUi.get().getLog().warn("cannot read the kept cases: " + e.getMessage());
        }
        return jobs;
    }

    /** @return the open case kept in a folder, or null */
    public OpenCase keptIn(Path folder) {
        return open.stream().filter(c -> c.kept() != null && c.kept().folder().equals(folder)).findFirst()
                .orElse(null);
    }

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
                        EvidenceCase.Options.defaults().withHash(settings.hash()).withHashWhileAnalysing(true).withCache(CaseCache.userDefault()),
                        monitor);
                CaseStore.Kept kept = null;
                CaseSettings chosen = settings;
                if (store != null) {
                    try {
                        kept = store.keep(image, pagefiles, settings);
                        if (settings.outputDirectory().toString().isEmpty()) {
                            // no folder named: the case's files go in its own folder in the workspace
                            chosen = new CaseSettings(settings.hash(), kept.folder().resolve("output"), settings
                                    .symbolPaths(), settings.disabledStores());
                        }
                    } catch (IOException e) {
                        VestigeUi.get().getLog().warn("cannot keep the case of " + image + ": " + e.getMessage());
                    }
                }
                OpenCase opened = new OpenCase(c, new AnalysisSession(c, VestigeUi.get().extensions(), chosen
                        .sessionSettings()), chosen, kept);
                add(opened);
                if (c.digestsPending()) {
                    hashInBackground(opened);
                }
                return Status.OK_STATUS;
            } catch (EvidenceException e) {
                return Status.error(e.getMessage(), e);
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }

    /** Hashes a case's evidence while the analyst works on it; listeners hear when its digests are in. */
    private void hashInBackground(OpenCase c) {
        Job job = c.job("Hashing the evidence of " + c.label(), (IProgressMonitor monitor) -> {
            try {
                c.evidence().awaitDigests(monitor);
                fire();
                return Status.OK_STATUS;
            } catch (EvidenceException e) {
                return Status.error(e.getMessage(), e);
            }
        });
        job.setSystem(false);
        job.schedule();
    }

    private void add(OpenCase c) {
        open.add(c);
        fire();
    }

    /** Closes a case the analyst is done with: it is not reopened when the workbench starts again. */
    public void close(OpenCase c) {
        if (open.contains(c) && c.kept() != null && store != null) {
            try {
                store.closed(c.kept());
            } catch (IOException e) {
                VestigeUi.get().getLog().warn("cannot mark " + c.label() + " closed: " + e.getMessage());
            }
        }
        release(c);
    }

    /** Releases a case's session, leaving it marked open where it is kept (as the workbench stops). */
    private void release(OpenCase c) {
        if (open.remove(c)) {
            // its views' and analyses' jobs stop before its evidence closes under them
            Job.getJobManager().cancel(c);
            try {
                c.session().close();
            } catch (IOException e) {
                VestigeUi.get().getLog().log(Status.warning("closing " + c.label() + ": " + e.getMessage(), e));
            }
            fire();
        }
    }

    /** Releases every case, as the workbench stops; the kept ones open again at the next start. */
    void releaseAll() {
        for (OpenCase c : new ArrayList<>(open)) {
            release(c);
        }
    }

    private void fire() {
        List<OpenCase> snapshot = all();
        for (Listener l : listeners) {
            l.changed(snapshot);
        }
    }
}
