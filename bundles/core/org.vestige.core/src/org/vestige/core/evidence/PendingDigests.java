package org.vestige.core.evidence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;

/**
 * The digests of a case's files, computed one file after the other on a background thread while analyses read
 * the same files. Closing stops the hashing at its next buffer.
 */
final class PendingDigests implements AutoCloseable {

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vestige-digests");
        t.setDaemon(true);
        return t;
    });
    private final IProgressMonitor stop = new NullProgressMonitor();
    private final Map<Path, Future<Digests>> jobs = new LinkedHashMap<>();

    /** Queues a file for hashing. */
    synchronized void submit(Path file) {
        jobs.put(file, executor.submit(() -> EvidenceHasher.hash(file, stop)));
    }

    /** @return whether digests are still to be collected */
    synchronized boolean isEmpty() {
        return jobs.isEmpty();
    }

    /**
     * Waits for every queued file's digests, watching the monitor for cancellation, and hands them over (the
     * queue is empty afterwards).
     *
     * @throws IOException                naming the file whose hashing failed
     * @throws OperationCanceledException when the monitor is cancelled first (the hashing goes on until closed)
     */
    synchronized Map<Path, Digests> await(IProgressMonitor monitor) throws IOException {
        Map<Path, Digests> done = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, Future<Digests>> job : jobs.entrySet()) {
                done.put(job.getKey(), get(job.getKey(), job.getValue(), monitor));
            }
        } finally {
            jobs.keySet().removeAll(done.keySet());
        }
        return done;
    }

    private static Digests get(Path file, Future<Digests> job, IProgressMonitor monitor) throws IOException {
        while (true) {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            try {
                return job.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at the monitor again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCanceledException("interrupted while hashing " + file);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof OperationCanceledException cancelled) {
                    throw cancelled;
                }
                throw new IOException(file + ": hashing failed: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        stop.setCanceled(true);
        executor.shutdownNow();
    }
}
