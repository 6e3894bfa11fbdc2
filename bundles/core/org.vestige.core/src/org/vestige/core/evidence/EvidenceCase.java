package org.vestige.core.evidence;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.Layer;

/**
 * A memory image and the paging files taken with it, opened read-only for analysis. Opening a
 * case checks every file, hashes it (MD5, SHA-1, SHA-256 in one streaming pass, with progress),
 * records its size and times, asks every contributed format's probe about the image and opens it
 * with the most confident one. With a {@link CaseCache}, a file hashed on an earlier open and unchanged
 * since is not hashed again: its recorded digests are used, and {@link #cacheNotes()} says so.
 *
 * @since 0.1
 */
public final class EvidenceCase implements Closeable {

    private volatile EvidenceRecord image;
    private final List<FormatProbe> probes;
    private final OpenedEvidence opened;
    private volatile List<SuppliedPagefile> pagefiles;
    private volatile List<EvidenceRecord> companions = List.of();
    private final List<String> problems;
    private final List<String> cacheNotes;
    private final java.util.Set<String> routineNotes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CaseCache cache;
    private final PendingDigests pending = new PendingDigests();
    private final java.util.Map<Path, FileIdentity> hashedFrom = new java.util.concurrent.ConcurrentHashMap<>();
    /** The image's case-cache entry as last read or written, or one holding only its identity at the open. */
    private CaseCache.Entry imageEntry;

    /**
     * How a case is opened.
     *
     * @param hash               whether to hash every file (turn off only for repeated runs on known evidence)
     * @param hashWhileAnalysing whether hashing runs in the background while analyses read the case, its digests
     *                           collected by {@link EvidenceCase#awaitDigests}, instead of before the open returns
     * @param format             the id of the format to open the image with whatever the probes say (the
     *                           analyst's {@code --format}), or {@code null} to let the probes choose
     * @param cache              the case cache, or {@code null} to hash every file and record nothing
     * @param companions         further files of the same evidence set, opened with the image by its format (the
     *                           other volumes of an AFF4 set); recorded and hashed like the image
     * @since 0.1
     */
    public record Options(boolean hash, boolean hashWhileAnalysing, String format, CaseCache cache,
            List<Path> companions) {

        public Options {
            companions = List.copyOf(companions);
        }

        /** @return hash before the open returns, let the probes choose, no case cache, no companion files */
        public static Options defaults() {
            return new Options(true, false, null, null, List.of());
        }

        public Options withHash(boolean value) {
            return new Options(value, hashWhileAnalysing, format, cache, companions);
        }

        public Options withHashWhileAnalysing(boolean value) {
            return new Options(hash, value, format, cache, companions);
        }

        public Options withFormat(String id) {
            return new Options(hash, hashWhileAnalysing, id, cache, companions);
        }

        public Options withCache(CaseCache value) {
            return new Options(hash, hashWhileAnalysing, format, value, companions);
        }

        /** @since 0.1 */
        public Options withCompanions(List<Path> files) {
            return new Options(hash, hashWhileAnalysing, format, cache, files);
        }
    }

    /**
     * A paging file the analyst supplied.
     *
     * @param slot   the page-file number given on the command line, or -1
     * @param record what the case recorded about the file
     * @param layer  its bytes
     */
    public record SuppliedPagefile(int slot, EvidenceRecord record, Layer layer) {
    }

    private EvidenceCase(EvidenceRecord image, List<FormatProbe> probes, OpenedEvidence opened,
            List<SuppliedPagefile> pagefiles, List<String> problems, List<String> cacheNotes, CaseCache cache,
            CaseCache.Entry imageEntry) {
        this.image = image;
        this.imageEntry = imageEntry;
        this.probes = List.copyOf(probes);
        this.opened = opened;
        this.pagefiles = List.copyOf(pagefiles);
        this.problems = List.copyOf(problems);
        this.cacheNotes = java.util.Collections.synchronizedList(new ArrayList<>(cacheNotes));
        this.cache = cache;
    }

    /**
     * Opens a case.
     *
     * @param imagePath the memory image
     * @param pagefiles paging files supplied with it
     * @param formats   the formats to probe, in contribution order
     * @param hash      whether to hash every file (turn off only for repeated runs on known evidence)
     * @throws EvidenceException naming the file and the problem when a file is missing, unreadable,
     *                           empty, or no format can open the image
     */
    public static EvidenceCase open(Path imagePath, List<PagefileSpec> pagefiles, List<? extends FormatHandle> formats,
            boolean hash, IProgressMonitor monitor) throws EvidenceException {
        return open(imagePath, pagefiles, formats, hash, null, monitor);
    }

    /**
     * Opens a case, with the format chosen by the analyst instead of by the probes when {@code forcedFormat}
     * is given.
     *
     * <p>Without it, the format whose probe is most confident opens the image. When a format recognises the
     * file (its probe is more confident than {@link ProbeResult#FALLBACK}) and cannot open it, the case fails
     * with that format's reason: damaged evidence is never read as raw memory in silence. A format that
     * accepts anything (raw) is chosen only for files no format recognises.
     *
     * @param forcedFormat the id of the format to open the image with whatever the probes say (the analyst's
     *                     {@code --format}), or {@code null} to let the probes choose
     * @throws EvidenceException also when {@code forcedFormat} names no contributed format, or it cannot open
     *                           the image
     */
    public static EvidenceCase open(Path imagePath, List<PagefileSpec> pagefiles, List<? extends FormatHandle> formats,
            boolean hash, String forcedFormat, IProgressMonitor monitor) throws EvidenceException {
        return open(imagePath, pagefiles, formats, Options.defaults().withHash(hash).withFormat(forcedFormat),
                monitor);
    }

    /**
     * Opens a case as {@code options} say. With a case cache, a file whose identity is unchanged since an earlier
     * open recorded its digests is not hashed again (even with hashing off, recorded digests are reported), and a
     * file hashed now has its digests recorded. A cache entry that no longer holds (the file changed, the entry is
     * damaged) is ignored, and {@link #cacheNotes()} says why; a cache that cannot be written only costs the next
     * open. With {@link Options#hashWhileAnalysing()}, the files still to hash are hashed in the background and
     * their records carry no digests until {@link #awaitDigests} collects them.
     *
     * @see #open(Path, List, List, boolean, String, IProgressMonitor)
     */
    public static EvidenceCase open(Path imagePath, List<PagefileSpec> pagefiles, List<? extends FormatHandle> formats,
            Options options, IProgressMonitor monitor) throws EvidenceException {
        SubMonitor progress = SubMonitor.convert(monitor, "Opening evidence", 10 + 100 * (1 + pagefiles.size()
                + options.companions().size()));
        Path image = imagePath.toAbsolutePath().normalize();
        List<String> cacheNotes = new ArrayList<>();
        CaseCache cache = options.cache();
        boolean hashNow = options.hash() && !options.hashWhileAnalysing();
        Recorded imageRecorded = record(image, hashNow, cache, cacheNotes, progress.split(100));
        EvidenceRecord imageRecord = imageRecorded.record();
        String forcedFormat = options.format();
        List<EvidenceRecord> companionRecords = new ArrayList<>();
        for (Path p : options.companions()) {
            companionRecords.add(record(p.toAbsolutePath().normalize(), hashNow, cache, cacheNotes, progress.split(
                    100)).record());
        }
        List<Path> companions = companionRecords.stream().map(EvidenceRecord::path).toList();

        List<FormatProbe> probes = probe(image, formats);
        progress.split(5);
        OpenedEvidence opened = forcedFormat != null ? openForced(image, companions, formats, forcedFormat)
                : openProbed(image, companions, formats, probes);
        // a paging file the analyst supplied must be usable: analysing without it, silently or with a warning
        // that scrolls by, would report its pages as missing when the analyst believes they were read
        List<SuppliedPagefile> supplied = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            for (PagefileSpec spec : pagefiles) {
                Path p = spec.path().toAbsolutePath().normalize();
                try {
                    EvidenceRecord r = record(p, hashNow, cache, cacheNotes, progress.split(100)).record();
                    supplied.add(new SuppliedPagefile(spec.slot(), r, FileLayer.open(p, p.getFileName().toString())));
                } catch (IOException e) {
                    throw new EvidenceException(p, "cannot be opened: " + e.getMessage(), e);
                }
            }
        } catch (EvidenceException | RuntimeException e) {
            closeQuietly(opened, supplied);
            throw e;
        }
        EvidenceCase c = new EvidenceCase(imageRecord, probes, opened, supplied, problems, cacheNotes, cache,
                imageRecorded.entry());
        c.companions = List.copyOf(companionRecords);
        if (options.hash() && options.hashWhileAnalysing()) {
            c.hashInBackground();
        }
        return c;
    }

    private static OpenedEvidence openForced(Path image, List<Path> companions, List<? extends FormatHandle> formats,
            String id) throws EvidenceException {
        FormatHandle f = formats.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(
                () -> new EvidenceException(image, "no evidence format '" + id + "' is installed (installed: "
                        + String.join(", ", formats.stream().map(FormatHandle::id).toList()) + ")"));
        try {
            return f.format().open(image, companions);
        } catch (EvidenceException e) {
            throw new EvidenceException(image, "the format " + id + " (forced with --format) cannot open it: "
                    + stripFile(image, e.getMessage()), e);
        }
    }

    private static OpenedEvidence openProbed(Path image, List<Path> companions, List<? extends FormatHandle> formats,
            List<FormatProbe> probes) throws EvidenceException {
        List<FormatHandle> candidates = new ArrayList<>();
        for (int i = 0; i < formats.size(); i++) {
            if (probes.get(i).result().accepts()) {
                candidates.add(formats.get(i));
            }
        }
        if (candidates.isEmpty()) {
            throw new EvidenceException(image, "no evidence format recognises this file"
                    + describe(probes));
        }
        candidates.sort(Comparator.comparingInt((FormatHandle f) -> confidence(probes, f)).reversed());
        List<String> failures = new ArrayList<>();
        for (FormatHandle f : candidates) {
            if (!failures.isEmpty() && confidence(probes, f) <= ProbeResult.FALLBACK) {
                // a format recognised the file and failed: reading it as anything-goes would hide the damage
                throw new EvidenceException(image, "recognised but damaged: " + String.join("; ", failures)
                        + " (to read its bytes as " + f.id() + " anyway, give --format " + f.id() + ")");
            }
            try {
                return f.format().open(image, companions);
            } catch (NotMemoryException e) {
                throw e; // read as the format says it is; no other format should make memory of it
            } catch (EvidenceException e) {
                failures.add(f.id() + " (probe: " + probes.stream().filter(p -> p.formatId().equals(f.id()))
                        .findFirst().orElseThrow().result().explanation() + ") cannot open it: " + stripFile(image,
                                e.getMessage()));
            }
        }
        throw new EvidenceException(image, "no format could open it: " + String.join("; ", failures));
    }

    /** @return an evidence message without the file name it starts with (the case's message names it once) */
    private static String stripFile(Path image, String message) {
        String prefix = image + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /**
     * Asks every format's probe about a file, as {@link #open} does before choosing a format; a probe
     * that throws answers "no" with the exception as its explanation. Probes read only headers, so this
     * is cheap enough to run while an analyst is still choosing the file.
     *
     * @param image   the file
     * @param formats the formats to probe, in contribution order
     * @return one answer per format, in the same order
     */
    public static List<FormatProbe> probe(Path image, List<? extends FormatHandle> formats) {
        List<FormatProbe> probes = new ArrayList<>();
        for (FormatHandle f : formats) {
            ProbeResult r;
            try {
                r = f.format().probe(image);
            } catch (RuntimeException e) {
                r = ProbeResult.no("probe failed: " + e);
            }
            probes.add(new FormatProbe(f.id(), f.name(), r));
        }
        return probes;
    }

    private static int confidence(List<FormatProbe> probes, FormatHandle f) {
        return probes.stream().filter(p -> p.formatId().equals(f.id())).mapToInt(p -> p.result().confidence())
                .findFirst().orElse(0);
    }

    private static String describe(List<FormatProbe> probes) {
        StringBuilder sb = new StringBuilder();
        for (FormatProbe p : probes) {
            sb.append("\n  ").append(p.formatId()).append(": ").append(p.result().explanation());
        }
        return sb.toString();
    }

    /** Checks a file as evidence and records (and optionally hashes) it. */
    static EvidenceRecord record(Path file, boolean hash, IProgressMonitor monitor) throws EvidenceException {
        return record(file, hash, null, new ArrayList<>(), monitor).record();
    }

    /**
     * What {@link #record} learnt about a file: its record and its case-cache entry (the one found, the one
     * written, or one holding only the file's identity when neither).
     */
    private record Recorded(EvidenceRecord record, CaseCache.Entry entry) {
    }

    /**
     * Checks a file as evidence and records it, with the digests the cache holds for it when it is unchanged,
     * else hashing it (when asked) and recording the digests in the cache.
     */
    private static Recorded record(Path file, boolean hash, CaseCache cache, List<String> notes,
            IProgressMonitor monitor) throws EvidenceException {
        requireReadableFile(file);
        try {
            FileIdentity identity = FileIdentity.of(file);
            Instant openedAt = Instant.now();
            CaseCache.Entry cached = cache == null ? null : cached(cache, identity, notes);
            if (cached != null && cached.digests() != null) {
                notes.add(file.getFileName() + ": digests taken at " + cached.hashedAt() + " reused (unchanged "
                        + "since: same size, modify and change time)");
                return new Recorded(new EvidenceRecord(file, identity.size(), identity.modified(), openedAt, cached
                        .digests(), cached.hashedAt(), true), cached);
            }
            CaseCache.Entry entry = cached != null ? cached : new CaseCache.Entry(identity, null, null,
                    java.util.Map.of());
            Digests digests = hash ? EvidenceHasher.hash(file, monitor) : null;
            if (digests != null && cache != null && !FileIdentity.of(file).equals(identity)) {
                notes.add(file.getFileName() + ": changed while it was hashed; digests not recorded");
            } else if (digests != null && cache != null) {
                entry = entry.withDigests(digests, openedAt);
                remember(cache, entry, notes);
            }
            return new Recorded(new EvidenceRecord(file, identity.size(), identity.modified(), openedAt, digests),
                    entry);
        } catch (OperationCanceledException e) {
            throw e;
        } catch (IOException e) {
            throw new EvidenceException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static CaseCache.Entry cached(CaseCache cache, FileIdentity identity, List<String> notes) {
        CaseCache.Lookup found = cache.lookup(identity);
        if (found.ignored() != null) {
            notes.add(identity.path().getFileName() + ": cache entry ignored, " + found.ignored());
        }
        return found.entry();
    }

    private static void remember(CaseCache cache, CaseCache.Entry entry, List<String> notes) {
        try {
            cache.store(entry);
        } catch (IOException e) {
            notes.add(entry.identity().path().getFileName() + ": not recorded in the case cache: " + e.getMessage());
        }
    }

    /**
     * The check every evidence path goes through before it is opened (the image, paging files, hive files, any
     * file an analysis reads as evidence): it exists, is a regular file (not a directory, FIFO or device, which
     * could block a reader forever or stream without end), can be read and is not empty.
     *
     * @throws EvidenceException naming the file and what is wrong with it
     */
    public static void requireReadableFile(Path file) throws EvidenceException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw new EvidenceException(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new EvidenceException(file, "is a directory, not an evidence file");
        }
        if (!Files.isRegularFile(file)) {
            throw new EvidenceException(file, "is not a regular file (a FIFO, socket or device is not evidence: "
                    + "copy it to a file first)");
        }
        if (!Files.isReadable(file)) {
            throw new EvidenceException(file, "cannot be read (permission denied)");
        }
        try {
            if (Files.size(file) == 0) {
                throw new EvidenceException(file, "is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new EvidenceException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OpenedEvidence opened, List<SuppliedPagefile> supplied) {
        try {
            opened.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the first error is the one to report
        }
        supplied.forEach(s -> s.layer().close());
    }

    /** @return what was recorded about the memory image */
    public EvidenceRecord image() {
        return image;
    }

    /** @return what every format's probe said, in contribution order */
    public List<FormatProbe> probes() {
        return probes;
    }

    /** @return the opened evidence: format, physical layer, backing files, header details */
    public OpenedEvidence evidence() {
        return opened;
    }

    /** @return the physical memory layer */
    public Layer physical() {
        return opened.physical();
    }

    /** @return problems with supplied files that did not stop the case from opening (an unreadable pagefile) */
    public List<String> problems() {
        return problems;
    }

    private void hashInBackground() {
        if (image.digests() == null) {
            hashInBackground(image.path());
        }
        for (SuppliedPagefile p : pagefiles) {
            if (p.record().digests() == null) {
                hashInBackground(p.record().path());
            }
        }
        for (EvidenceRecord r : companions) {
            if (r.digests() == null) {
                hashInBackground(r.path());
            }
        }
    }

    /** Queues a file for hashing, noting its identity as hashing starts (the cache records digests only for it). */
    private void hashInBackground(Path file) {
        try {
            hashedFrom.put(file, FileIdentity.of(file));
        } catch (IOException e) {
            cacheNotes.add(file.getFileName() + ": its identity cannot be read (" + e.getMessage()
                    + "); its digests will not be recorded");
        }
        pending.submit(file);
    }

    /** @return whether files are still being hashed in the background (see {@link #awaitDigests}) */
    public boolean digestsPending() {
        return !pending.isEmpty();
    }

    /**
     * Waits for the files hashed in the background, then gives their records the digests (taken now) and records
     * them in the case cache. Returns at once when nothing is being hashed.
     *
     * @return the records that received their digests, in the order the files were given
     * @throws EvidenceException          naming the file when it could not be read to the end
     * @throws OperationCanceledException when the monitor is cancelled first
     */
    public synchronized List<EvidenceRecord> awaitDigests(IProgressMonitor monitor) throws EvidenceException {
        java.util.Map<Path, Digests> done;
        try {
            done = pending.await(monitor == null ? new org.eclipse.core.runtime.NullProgressMonitor() : monitor);
        } catch (IOException e) {
            throw new EvidenceException(image.path(), "cannot be hashed: " + e.getMessage(), e);
        }
        Instant now = Instant.now();
        List<EvidenceRecord> hashed = new ArrayList<>();
        java.util.function.UnaryOperator<EvidenceRecord> complete = r -> {
            Digests d = done.get(r.path());
            if (d == null) {
                return r;
            }
            EvidenceRecord withDigests = new EvidenceRecord(r.path(), r.size(), r.modified(), r.openedAt(), d, now,
                    false);
            hashed.add(withDigests);
            recordInCache(withDigests);
            return withDigests;
        };
        image = complete.apply(image);
        pagefiles = pagefiles.stream().map(p -> new SuppliedPagefile(p.slot(), complete.apply(p.record()), p
                .layer())).toList();
        companions = companions.stream().map(complete).toList();
        return hashed;
    }

    private void recordInCache(EvidenceRecord r) {
        FileIdentity before = hashedFrom.remove(r.path());
        if (cache == null || before == null) {
            return;
        }
        try {
            List<String> changes = FileIdentity.of(r.path()).changesSince(before);
            if (!changes.isEmpty()) {
                cacheNotes.add(r.path().getFileName() + ": changed while it was hashed (" + String.join("; ",
                        changes) + "); digests not recorded");
                return;
            }
            if (r.path().equals(image.path())) {
                synchronized (this) {
                    CaseCache.Entry base = imageEntry != null && imageEntry.identity().equals(before) ? imageEntry
                            : new CaseCache.Entry(before, null, null, java.util.Map.of());
                    imageEntry = base.withDigests(r.digests(), r.hashedAt());
                    remember(cache, imageEntry, cacheNotes);
                }
                return;
            }
            remember(cache, new CaseCache.Entry(before, r.digests(), r.hashedAt(), java.util.Map.of()), cacheNotes);
        } catch (IOException e) {
            cacheNotes.add(r.path().getFileName() + ": digests not recorded: " + e.getMessage());
        }
    }

    /**
     * @return what the case cache did for this open, one line per file: digests reused (and when they were
     *         taken), an entry ignored and why (the file changed, the entry is damaged), digests not recorded
     */
    public List<String> cacheNotes() {
        return List.copyOf(cacheNotes);
    }

    /**
     * @return what was recorded about the further files of the evidence set the analyst gave with the image (the
     *         other volumes of an AFF4 set), in the order given
     * @since 0.1
     */
    public List<EvidenceRecord> companions() {
        return companions;
    }

    /**
     * Adds a line to {@link #cacheNotes()}: what a component did with the facts the case cache holds (used them,
     * or ignored them and why).
     *
     * @since 0.1
     */
    public void noteCache(String note) {
        cacheNotes.add(image.path().getFileName() + ": " + note);
    }

    /**
     * Adds a line to {@link #cacheNotes()} saying the case cache's facts were used as recorded: nothing for the
     * analyst to look into, so a front end asked to be quiet may leave it out ({@link #routine(String)}).
     *
     * @since 0.1
     */
    public void noteCacheUse(String note) {
        String line = image.path().getFileName() + ": " + note;
        routineNotes.add(line);
        cacheNotes.add(line);
    }

    /** @return whether a line of {@link #cacheNotes()} only says the cache was used as recorded */
    public boolean routine(String cacheNote) {
        return routineNotes.contains(cacheNote);
    }

    /**
     * @return the facts an earlier open recorded about the memory image ({@link #recordFacts}), when the case has
     *         a cache and its entry holds for the image as it is now; empty otherwise. Facts are hints: a
     *         component validates them against the image before it relies on them.
     * @since 0.1
     */
    public synchronized java.util.Map<String, String> cachedFacts() {
        return cache == null || imageEntry == null ? java.util.Map.of() : imageEntry.facts();
    }

    /**
     * Records facts about the memory image in the case cache (what discovery found, keyed by names the caller
     * chooses, prefixed with its own name), keeping the digests and the other facts of its entry. Nothing is
     * recorded without a cache, or when the image changed since the case opened it (the note says so).
     *
     * @param facts the facts, by name; a name already recorded takes the new value
     * @since 0.1
     */
    public synchronized void recordFacts(java.util.Map<String, String> facts) {
        if (cache == null || imageEntry == null || facts.isEmpty()) {
            return;
        }
        try {
            List<String> changes = FileIdentity.of(image.path()).changesSince(imageEntry.identity());
            if (!changes.isEmpty()) {
                noteCache("changed since the case opened it (" + String.join("; ", changes)
                        + "); discovery facts not recorded");
                return;
            }
        } catch (IOException e) {
            noteCache("discovery facts not recorded: " + e.getMessage());
            return;
        }
        CaseCache.Entry more = imageEntry;
        for (java.util.Map.Entry<String, String> f : facts.entrySet()) {
            more = more.withFact(f.getKey(), f.getValue());
        }
        if (!more.equals(imageEntry)) {
            imageEntry = more;
            remember(cache, more, cacheNotes);
        }
    }

    /** @return the paging files the analyst supplied */
    public List<SuppliedPagefile> pagefiles() {
        return pagefiles;
    }

    /**
     * @return the bytes the whole case can supply: the physical memory, the paging files inside the evidence
     *         and those supplied beside it. No page of a process can come from anywhere else but a mapped file,
     *         so a structure claiming more memory than this is damaged (or a reservation nothing can fill).
     */
    public long capacity() {
        long bytes = opened.physical().size();
        for (OpenedEvidence.BackingFile b : opened.backing()) {
            bytes += b.layer().size();
        }
        for (SuppliedPagefile p : pagefiles) {
            bytes += p.layer().size();
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        pending.close();
        try {
            opened.close();
        } finally {
            for (SuppliedPagefile p : pagefiles) {
                p.layer().close();
            }
        }
    }
}
