package org.vestige.core.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Computes MD5, SHA-1 and SHA-256 of an evidence file in one streaming pass per core.
 *
 * <p>The digests are split over two threads that each stream the file: MD5 (the slowest of the
 * three, with no CPU instructions of its own) on one, SHA-256 and SHA-1 (hardware-assisted where
 * the CPU has SHA extensions) on the other. Both read the same pages close together, so the file
 * is read from disk once and the second reader hits the page cache. Memory use is two read
 * buffers whatever the file size.
 *
 * @since 0.1
 */
public final class EvidenceHasher {

    private static final int BUFFER_SIZE = 1 << 20;

    private EvidenceHasher() {
    }

    /**
     * Hashes a file, reporting progress in bytes and honouring cancellation.
     *
     * @throws IOException                if the file cannot be read
     * @throws OperationCanceledException if the monitor is cancelled
     */
    public static Digests hash(Path file, IProgressMonitor monitor) throws IOException {
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Hashing " + file.getFileName(), 1000);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong shaPosition = new AtomicLong();
        AtomicLong md5Position = new AtomicLong();
        MessageDigest md5 = digest("MD5");
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest sha256 = digest("SHA-256");
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "vestige-hash " + file.getFileName());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> a = pool.submit(() -> stream(file, stop, shaPosition, sha256, sha1));
            Future<?> b = pool.submit(() -> stream(file, stop, md5Position, md5));
            int reported = 0;
            while (!(a.isDone() && b.isDone())) {
                if (progress.isCanceled()) {
                    stop.set(true);
                    throw new OperationCanceledException();
                }
                awaitBriefly(a.isDone() ? b : a);
                if (failed(a) || failed(b)) {
                    stop.set(true);
                    break;
                }
                int now = size == 0 ? 1000 : (int) (Math.min(shaPosition.get(), md5Position.get()) * 1000 / size);
                if (now > reported) {
                    progress.worked(now - reported);
                    reported = now;
                }
            }
            join(a);
            join(b);
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing " + file, e);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        HexFormat hex = HexFormat.of();
        return new Digests(hex.formatHex(md5.digest()), hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()));
    }

    private static Void stream(Path file, AtomicBoolean stop, AtomicLong position, MessageDigest... digests)
            throws IOException {
        byte[] array = new byte[BUFFER_SIZE];
        ByteBuffer buffer = ByteBuffer.wrap(array);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            while (!stop.get()) {
                buffer.clear();
                int n = ch.read(buffer, pos);
                if (n < 0) {
                    break;
                }
                for (MessageDigest d : digests) {
                    d.update(array, 0, n);
                }
                pos += n;
                position.set(pos);
            }
        }
        return null;
    }

    private static void awaitBriefly(Future<?> f) throws InterruptedException {
        try {
            f.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // progress is reported between waits; failures are reported by join
        }
    }

    private static boolean failed(Future<?> f) {
        return f.isDone() && f.state() == Future.State.FAILED;
    }

    private static void join(Future<?> f) throws IOException, InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks " + algorithm, e);
        }
    }
}
