package org.vestige.layer.aff4;

import java.io.Closeable;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.layer.aff4.internal.Aff4Graph;
import org.vestige.layer.aff4.internal.Aff4Lexicon;
import org.vestige.layer.aff4.internal.ChunkCache;
import org.vestige.layer.aff4.internal.ImageStream;
import org.vestige.layer.aff4.internal.MapStream;
import org.vestige.layer.aff4.internal.MemberStream;
import org.vestige.layer.aff4.internal.Segment;
import org.vestige.layer.aff4.internal.SymbolicStream;
import org.vestige.layer.aff4.internal.ZipContainer;
import org.vestige.layer.aff4.internal.ZipMember;

/**
 * One or more AFF4 volume files opened together, read-only: their zip directories, their merged
 * {@code information.turtle} metadata, and the streams they hold by URN. A map in one volume may take its data from
 * an image stream stored in another volume of the set; open all volumes of the set together for that.
 *
 * <p>Understands AFF4 Standard v1.0 volumes (Evimetry, c-aff4 / WinPmem 3.x, pyaff4) and, where the formats are
 * documented, pre-standard ones (WinPmem 2.x / Rekall names in the aff4 namespace, Evimetry's
 * {@code http://afflib.org/2009/aff4#} namespace, u32 bevy indexes). Streams are safe for concurrent readers.
 *
 * @since 0.1
 */
public final class Aff4Resolver implements Closeable {

    private static final long MAX_TURTLE_BYTES = 64L << 20;
    private static final long MAX_MAP_BYTES = 128L << 20;
    private static final long MAX_IDX_BYTES = 16L << 20;

    /**
     * One opened volume file.
     *
     * @param file    the file
     * @param urn     the volume's URN (from the zip comment, container.description or the metadata)
     * @param version version.txt as key/value pairs ({@code major}, {@code minor}, {@code tool}); empty if absent
     */
    public record Volume(Path file, String urn, Map<String, String> version) {
    }

    /**
     * A paging file stored in the volume (WinPmem's {@code memory:pagefile} streams).
     *
     * @param slot the page-file number recorded ({@code memory:pagefile_number}), or -1
     * @param name the file's path on the acquired system, e.g. {@code C:\pagefile.sys}
     * @param urn  the stream's URN
     */
    public record Pagefile(int slot, String name, String urn) {
    }

    /**
     * A volume of the set that the opened volumes refer to but that is not among them.
     *
     * @param urn     the volume's URN, or empty when the metadata does not say which volume holds the streams
     * @param file    the volume's file name as the metadata records it ({@code aff4:stored} of the volume), or empty
     * @param streams the streams known to be stored in it that the opened volumes need or describe
     * @since 0.1
     */
    public record MissingVolume(String urn, String file, List<String> streams) {
    }

    /**
     * A stream or logical file the volumes hold, for listing what a volume that is not a memory image contains.
     *
     * @param urn  its URN
     * @param name the file's path on the acquired system (logical files), or empty
     * @param size its size in bytes, or -1 when not recorded
     * @param kind its type in the {@code aff4:} form, e.g. {@code aff4:FileImage}
     * @since 0.1
     */
    public record Content(String urn, String name, long size, String kind) {
    }

    private final List<ZipContainer> containers;
    private final List<Volume> volumes;
    private final Aff4Graph graph;
    private final Map<String, Segment> segments;
    private final ChunkCache cache;
    private final ThreadPoolExecutor decoder;
    private final Aff4Options options;
    private final Map<String, Layer> streams = new HashMap<>();
    private final Set<String> opening = new HashSet<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger streamIds = new AtomicInteger();
    /** Streams maps needed that no opened volume holds, by the URN of the volume holding them ("" when unknown). */
    private final Map<String, Set<String>> absent = new LinkedHashMap<>();

    private Aff4Resolver(List<ZipContainer> containers, List<Volume> volumes, Aff4Graph graph,
            Map<String, Segment> segments, Aff4Options options, List<String> problems) {
        this.containers = containers;
        this.volumes = volumes;
        this.graph = graph;
        this.segments = segments;
        this.options = options;
        this.problems.addAll(problems);
        this.cache = new ChunkCache(options.chunkCacheBytes());
        if (options.decoderThreads() > 0) {
            AtomicInteger n = new AtomicInteger();
            this.decoder = new ThreadPoolExecutor(options.decoderThreads(), options.decoderThreads(), 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(1024), r -> {
                        Thread t = new Thread(r, "aff4-decoder-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
            this.decoder.allowCoreThreadTimeOut(true);
        } else {
            this.decoder = null;
        }
    }

    /** Opens volume files with {@link Aff4Options#defaults()}. */
    public static Aff4Resolver open(Path... files) throws EvidenceException {
        return open(List.of(files), Aff4Options.defaults());
    }

    /**
     * Opens the volume files of one AFF4 evidence set read-only.
     *
     * @throws EvidenceException when a file is not an AFF4 volume, is truncated or its metadata is corrupt
     */
    public static Aff4Resolver open(List<Path> files, Aff4Options options) throws EvidenceException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no volume files");
        }
        List<ZipContainer> containers = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        Aff4Graph graph = new Aff4Graph();
        Map<String, Segment> segments = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try {
            for (Path file : files) {
                ZipContainer zip;
                try {
                    zip = ZipContainer.open(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new EvidenceException(file, "no such file", e);
                } catch (java.nio.file.AccessDeniedException e) {
                    throw new EvidenceException(file, "permission denied", e);
                } catch (IOException e) {
                    throw new EvidenceException(file, "not a readable AFF4 volume: " + e.getMessage(), e);
                }
                containers.add(zip);
                ZipMember turtle = zip.member("information.turtle");
                if (turtle == null) {
                    throw new EvidenceException(file, "zip container without information.turtle: not an AFF4 volume"
                            + (zip.member("information.yaml") != null ? " this reader can open (it has only information.yaml)" : ""));
                }
                String urn = volumeUrn(zip);
                byte[] turtleBytes;
                try {
                    turtleBytes = zip.readMember(turtle, MAX_TURTLE_BYTES);
                } catch (IOException e) {
                    throw new EvidenceException(file, "information.turtle cannot be read: " + e.getMessage(), e);
                }
                Aff4Graph own = new Aff4Graph();
                try {
                    own.addTurtle(turtleBytes, urn != null ? urn : "aff4://unnamed-volume");
                    graph.addAll(own);
                } catch (IOException e) {
                    throw new EvidenceException(file, e.getMessage(), e);
                }
                if (urn == null) {
                    List<String> vols = own.subjectsOfType(Aff4Lexicon.VOLUME_TYPES);
                    if (vols.isEmpty()) {
                        throw new EvidenceException(file, "the volume's URN is recorded nowhere (no zip comment, "
                                + "container.description or aff4:ZipVolume in information.turtle)");
                    }
                    urn = vols.get(0);
                }
                Map<String, String> version = readVersion(zip, problems);
                volumes.add(new Volume(file, urn, version));
                for (ZipMember m : zip.members()) {
                    String segUrn = urnOfMember(m.name(), urn);
                    segments.put(segUrn, new Segment(segUrn, zip, m));
                }
            }
        } catch (EvidenceException | RuntimeException e) {
            for (ZipContainer z : containers) {
                try {
                    z.close();
                } catch (IOException ignored) {
                    // already failing; the first problem is the one to report
                }
            }
            throw e;
        }
        return new Aff4Resolver(List.copyOf(containers), List.copyOf(volumes), graph, segments, options, problems);
    }

    static String volumeUrn(ZipContainer zip) {
        String comment = zip.comment().replace('\0', ' ').strip();
        if (comment.startsWith("aff4://") && comment.indexOf(' ') < 0) {
            return comment;
        }
        ZipMember description = zip.member("container.description");
        if (description != null) {
            try {
                String d = new String(zip.readMember(description, 4096), StandardCharsets.UTF_8).replace('\0', ' ').strip();
                if (!d.isEmpty()) {
                    return d;
                }
            } catch (IOException e) {
                // fall back to the metadata
            }
        }
        return null;
    }

    private static Map<String, String> readVersion(ZipContainer zip, List<String> problems) {
        ZipMember v = zip.member("version.txt");
        if (v == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : new String(zip.readMember(v, 65536), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            problems.add(zip.path().getFileName() + ": version.txt cannot be read: " + e.getMessage());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * @return the URN of a zip member: member names are URNs with %-escapes; absolute ones start with
     *         {@code aff4:}, others are relative to the volume URN
     */
    static String urnOfMember(String memberName, String volumeUrn) {
        String decoded;
        try {
            decoded = URLDecoder.decode(memberName.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = memberName;
        }
        if (decoded.startsWith("aff4:")) {
            return decoded;
        }
        while (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        return volumeUrn.endsWith("/") ? volumeUrn + decoded : volumeUrn + "/" + decoded;
    }

    public List<Volume> volumes() {
        return volumes;
    }

    public Aff4Options options() {
        return options;
    }

    /** @return what was found wrong or assumed while opening volumes and streams, in the analyst's words */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    private void problem(String p) {
        synchronized (problems) {
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }
    }

    Aff4Graph graph() {
        return graph;
    }

    /** @return the zip member holding {@code urn} in any opened volume, or null */
    Segment segment(String urn) {
        return segments.get(urn);
    }

    ChunkCache cache() {
        return cache;
    }

    /** @return the rdf:types recorded for {@code urn} */
    public Set<String> types(String urn) {
        return graph.types(urn);
    }

    /** @return every property of {@code urn}: predicate IRI to values (IRIs or literal text) in file order */
    public Map<String, List<String>> properties(String urn) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        graph.properties(urn).forEach((p, terms) -> out.put(p, terms.stream().map(Aff4Graph.Term::value).toList()));
        return out;
    }

    /** @return the first value of {@code predicateIri} on {@code urn} */
    public Optional<String> property(String urn, String predicateIri) {
        List<Aff4Graph.Term> t = graph.objects(urn, predicateIri);
        return t.isEmpty() ? Optional.empty() : Optional.of(t.get(0).value());
    }

    public List<String> imageStreams() {
        List<String> out = new ArrayList<>(graph.subjectsOfType(Aff4Lexicon.IMAGE_STREAM_TYPES));
        return out;
    }

    public List<String> maps() {
        return graph.subjectsOfType(Aff4Lexicon.MAP_TYPES);
    }

    /** @return the aff4:Image objects (disk or memory images), which name their map by aff4:dataStream */
    public List<String> images() {
        return graph.subjectsOfType(Aff4Lexicon.IMAGE_TYPES);
    }

    /** @return true when the volumes hold a memory image (aff4:MemoryImage or a memory:physical category) */
    public boolean isMemoryImage() {
        return !graph.subjectsOfType(List.of(Aff4Lexicon.MEMORY_IMAGE)).isEmpty()
                || !graph.subjectsWith(Aff4Lexicon.CATEGORY.get(0), Aff4Lexicon.MEMORY_PHYSICAL).isEmpty();
    }

    /**
     * @return the URN of the evidence's main address space: an aff4:MemoryImage, else the stream categorised
     *         memory:physical (WinPmem), else the first aff4:Image, else the first map, else the first image stream
     *         that is not a paging file
     */
    public Optional<String> primaryImage() {
        List<String> memory = graph.subjectsOfType(List.of(Aff4Lexicon.MEMORY_IMAGE));
        if (!memory.isEmpty()) {
            return Optional.of(memory.get(0));
        }
        List<String> physical = graph.subjectsWith(Aff4Lexicon.CATEGORY.get(0), Aff4Lexicon.MEMORY_PHYSICAL);
        if (!physical.isEmpty()) {
            return Optional.of(physical.get(0));
        }
        for (String image : images()) {
            if (!graph.objects(image, Aff4Lexicon.DATA_STREAM).isEmpty()) {
                return Optional.of(image);
            }
        }
        if (!maps().isEmpty()) {
            return Optional.of(maps().get(0));
        }
        Set<String> pagefiles = new HashSet<>(graph.subjectsWith(Aff4Lexicon.CATEGORY.get(0), Aff4Lexicon.MEMORY_PAGEFILE));
        for (String s : imageStreams()) {
            if (!pagefiles.contains(s)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** @return the paging files stored as streams (category memory:pagefile), in file order */
    public List<Pagefile> pagefiles() {
        List<Pagefile> out = new ArrayList<>();
        for (String urn : graph.subjectsWith(Aff4Lexicon.CATEGORY.get(0), Aff4Lexicon.MEMORY_PAGEFILE)) {
            int slot = graph.firstLong(urn, List.of(Aff4Lexicon.MEMORY_PAGEFILE_NUMBER)).map(Long::intValue).orElse(-1);
            String name = graph.first(urn, List.of(Aff4Lexicon.ORIGINAL_FILENAME)).map(Aff4Graph.Term::value)
                    .orElseGet(() -> nameOnSystem(urn));
            out.add(new Pagefile(slot, name, urn));
        }
        return out;
    }

    /** WinPmem names a file's stream {@code <volume>/<path>}: {@code aff4://v/C:/pagefile.sys} is C:\pagefile.sys. */
    private String nameOnSystem(String urn) {
        String path = urn;
        for (Volume v : volumes) {
            if (urn.startsWith(v.urn() + "/")) {
                path = urn.substring(v.urn().length() + 1);
                break;
            }
        }
        if (path.matches("[A-Za-z]:/.*")) {
            path = path.replace('/', '\\');
        }
        return path;
    }

    // ---------------------------------------------------------------- streams

    /**
     * Opens the stream named {@code urn} as a layer: an image stream, a map, a symbolic stream, or an aff4:Image
     * (read through its aff4:dataStream). Layers are opened once and shared; they are closed with the resolver.
     *
     * @throws EvidenceException when no opened volume holds the stream or its metadata cannot be used
     */
    public synchronized Layer stream(String urn) throws EvidenceException {
        Layer l = streams.get(urn);
        if (l != null) {
            return l;
        }
        if (!opening.add(urn)) {
            throw new EvidenceException(volumes.get(0).file(), "stream " + urn + " refers to itself through its maps");
        }
        try {
            l = openStream(urn);
            streams.put(urn, l);
            return l;
        } finally {
            opening.remove(urn);
        }
    }

    private Layer openStream(String urn) throws EvidenceException {
        Optional<SymbolicStream> symbolic = SymbolicStream.forUrn(urn);
        if (symbolic.isPresent()) {
            return symbolic.get();
        }
        Set<String> types = graph.types(urn);
        boolean isImageStream = graph.hasAnyType(urn, Aff4Lexicon.IMAGE_STREAM_TYPES);
        boolean isMap = graph.hasAnyType(urn, Aff4Lexicon.MAP_TYPES);
        if (isMap || (!isImageStream && segments.containsKey(urn + "/map"))) {
            return openMap(urn);
        }
        if (isImageStream || segments.containsKey(urn + "/00000000")) {
            return openImageStream(urn);
        }
        Segment member = segments.get(urn);
        if (member != null) {
            return new MemberStream(member);
        }
        List<Aff4Graph.Term> data = graph.objects(urn, Aff4Lexicon.DATA_STREAM);
        if (!data.isEmpty()) {
            EvidenceException first = null;
            for (Aff4Graph.Term t : data) {
                try {
                    return stream(t.value());
                } catch (EvidenceException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            throw first;
        }
        throw new EvidenceException(volumes.get(0).file(), "no stream " + urn + " in the opened volume(s)"
                + (types.isEmpty() ? "" : " (it is described as " + types.stream().map(Aff4Lexicon::shortName).toList()
                        + " but has no data)"));
    }

    private ImageStream openImageStream(String urn) throws EvidenceException {
        Path file = fileOf(urn);
        int chunkSize = (int) (long) graph.firstLong(urn, Aff4Lexicon.CHUNK_SIZE).orElseGet(() -> {
            problem(urn + ": no aff4:chunkSize recorded; assuming 32768");
            return 32768L;
        });
        if (chunkSize <= 0 || chunkSize > (64 << 20)) {
            throw new EvidenceException(file, "image stream " + urn + " records chunk size " + chunkSize
                    + ", outside 1..64 MiB");
        }
        Optional<Long> cps = graph.firstLong(urn, Aff4Lexicon.CHUNKS_IN_SEGMENT);
        int chunksPerSegment;
        if (cps.isPresent() && cps.get() > 0 && cps.get() <= (1 << 24)) {
            chunksPerSegment = (int) (long) cps.get();
        } else {
            chunksPerSegment = chunksInFirstBevy(urn);
            problem(urn + ": no usable aff4:chunksInSegment recorded; took " + chunksPerSegment
                    + " from the first bevy's index");
        }
        long size = graph.firstLong(urn, Aff4Lexicon.SIZE).orElse(-1L);
        if (size < 0) {
            size = inferSize(urn, chunkSize, chunksPerSegment);
            problem(urn + ": no aff4:size recorded; inferred " + size + " bytes from the bevy indexes");
        }
        String compression = graph.first(urn, Aff4Lexicon.COMPRESSION).map(Aff4Graph.Term::value).orElse(null);
        if (compression == null) {
            compression = Aff4Codec.ZLIB.uri();
            problem(urn + ": no aff4:compressionMethod recorded; assuming zlib as libaff4 and pyaff4 do");
        }
        if (size > 0 && !segments.containsKey(urn + "/00000000") && !segments.containsKey(urn + "/00000000.index")
                && !segments.containsKey(urn + "/00000000/index")) {
            throw new EvidenceException(file, "image stream " + urn + " has no bevies in the opened volume(s)");
        }
        Aff4Codec codec = Aff4Codec.fromUri(compression).orElse(null);
        if (codec == null) {
            problem(urn + ": compression method " + compression + " is not supported; only chunks stored raw can be read");
        }
        return new ImageStream(urn, size, chunkSize, chunksPerSegment, compression, codec, segments::get, cache,
                streamIds.incrementAndGet(), decoder, options.readAheadChunks());
    }

    private int chunksInFirstBevy(String urn) {
        Segment index = segments.get(urn + "/00000000.index");
        if (index != null) {
            return (int) Math.max(1, index.member().size() / 12);
        }
        index = segments.get(urn + "/00000000/index");
        if (index != null) {
            return (int) Math.max(1, index.member().size() / 4 + 1);
        }
        return 1024;
    }

    private long inferSize(String urn, int chunkSize, int chunksPerSegment) {
        long chunks = 0;
        for (int b = 0; b < 1 << 24; b++) {
            String bevy = urn + "/" + String.format("%08d", b);
            Segment index = segments.get(bevy + ".index");
            if (index != null) {
                chunks += index.member().size() / 12;
                continue;
            }
            index = segments.get(bevy + "/index");
            if (index != null) {
                chunks += index.member().size() / 4;
                continue;
            }
            break;
        }
        return chunks * chunkSize;
    }

    private MapStream openMap(String urn) throws EvidenceException {
        Path file = fileOf(urn);
        Segment mapSegment = segments.get(urn + "/map");
        if (mapSegment == null) {
            throw new EvidenceException(file, "map " + urn + " has no map segment (" + urn + "/map is missing)");
        }
        Segment idxSegment = segments.get(urn + "/idx");
        if (idxSegment == null) {
            idxSegment = segments.get(urn + "/mapIdx");
        }
        if (idxSegment == null) {
            throw new EvidenceException(file, "map " + urn + " has no target list (" + urn + "/idx is missing)");
        }
        List<MapStream.Entry> entries;
        List<String> targetUrns;
        try {
            byte[] map = mapSegment.readAll(MAX_MAP_BYTES);
            if (map.length % MapStream.ENTRY_SIZE != 0) {
                problem(urn + ": map segment is " + map.length + " bytes, not a multiple of "
                        + MapStream.ENTRY_SIZE + "; the trailing partial entry is ignored");
            }
            entries = MapStream.parseEntries(map);
            targetUrns = MapStream.parseTargets(idxSegment.readAll(MAX_IDX_BYTES));
        } catch (IOException e) {
            throw new EvidenceException(file, "map " + urn + " cannot be read: " + e.getMessage(), e);
        }
        List<MapStream.Target> targets = new ArrayList<>();
        for (String t : targetUrns) {
            Optional<SymbolicStream> sym = SymbolicStream.forUrn(t);
            if (sym.isPresent()) {
                targets.add(new MapStream.SymbolicTarget(t, sym.get()));
                continue;
            }
            try {
                targets.add(new MapStream.StreamTarget(t, stream(t)));
            } catch (EvidenceException e) {
                targets.add(unresolved(urn, t, e));
            }
        }
        SymbolicStream gap = graph.first(urn, Aff4Lexicon.MAP_GAP_DEFAULT)
                .flatMap(t -> SymbolicStream.forUrn(t.value()))
                .orElseGet(() -> SymbolicStream.forUrn(Aff4Lexicon.ZERO).orElseThrow());
        long size = graph.firstLong(urn, Aff4Lexicon.SIZE).orElse(-1L);
        MapStream m = MapStream.build(urn, size, entries, targets, gap);
        if (m.overlappingEntries() > 0) {
            problem(urn + ": " + m.overlappingEntries() + " map entries overlap earlier ones; the earlier entries were kept");
        }
        return m;
    }

    /**
     * A map target that cannot be opened: when no opened volume holds any part of it, its bytes are in another
     * volume of the set, named where the metadata says which; otherwise the stream is there but unusable.
     */
    private MapStream.UnresolvedTarget unresolved(String map, String target, EvidenceException e) {
        if (holdsPartOf(target)) {
            String reason = "map target " + target + " cannot be opened: " + e.getMessage();
            problem(map + ": " + reason);
            return new MapStream.UnresolvedTarget(target, reason);
        }
        String volume = volumeHolding(target).orElse("");
        String file = volume.isEmpty() ? "" : recordedFileName(volume).orElse("");
        synchronized (absent) {
            absent.computeIfAbsent(volume, v -> new LinkedHashSet<>()).add(target);
        }
        String reason = "map target " + target + " is not in the opened volume(s): it is stored in "
                + (volume.isEmpty() ? "a volume of the set the metadata does not name"
                        : "volume " + volume + (file.isEmpty() ? "" : " (file " + file + ")"))
                + "; open the other volumes of the set with it";
        problem(map + ": " + reason);
        return new MapStream.UnresolvedTarget(target, reason, new MissingCause.OtherVolume(volume, file));
    }

    /** @return whether an opened volume holds the stream itself or any of its segments */
    private boolean holdsPartOf(String urn) {
        String prefix = urn + "/";
        return segments.containsKey(urn) || segments.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /**
     * @return the volume not opened that the metadata says stores {@code urn} (its aff4:stored, or a volume that
     *         aff4:contains it); an opened volume named so does not hold it, so it is passed over
     */
    private Optional<String> volumeHolding(String urn) {
        Set<String> opened = new HashSet<>();
        volumes.forEach(v -> opened.add(v.urn()));
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.STORED)) {
            if (t.isIri() && !opened.contains(t.value())) {
                return Optional.of(t.value());
            }
        }
        for (String v : graph.subjectsOfType(Aff4Lexicon.VOLUME_TYPES)) {
            if (!opened.contains(v) && graph.objects(v, Aff4Lexicon.CONTAINS).stream().anyMatch(t -> t.value()
                    .equals(urn))) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** @return the file name a volume's description records for it (Evimetry writes aff4:stored "name.aff4") */
    private Optional<String> recordedFileName(String volumeUrn) {
        return graph.objects(volumeUrn, Aff4Lexicon.STORED).stream().filter(t -> !t.isIri()).map(
                Aff4Graph.Term::value).findFirst();
    }

    /**
     * @return the volumes of the set the opened ones need or describe but that are not opened: those holding map
     *         targets found missing so far (open the primary image first to have its maps looked at), and those
     *         the metadata names as storing or containing objects
     * @since 0.1
     */
    public List<MissingVolume> missingVolumes() {
        Set<String> opened = new HashSet<>();
        volumes.forEach(v -> opened.add(v.urn()));
        Map<String, Set<String>> byVolume = new LinkedHashMap<>();
        synchronized (absent) {
            absent.forEach((v, s) -> byVolume.computeIfAbsent(v, k -> new LinkedHashSet<>()).addAll(s));
        }
        for (String subject : graph.subjects()) {
            for (Aff4Graph.Term t : graph.objects(subject, Aff4Lexicon.STORED)) {
                if (t.isIri() && t.value().startsWith("aff4://") && !opened.contains(t.value())) {
                    byVolume.computeIfAbsent(t.value(), k -> new LinkedHashSet<>()).add(subject);
                }
            }
        }
        for (String v : graph.subjectsOfType(Aff4Lexicon.VOLUME_TYPES)) {
            if (!opened.contains(v)) {
                Set<String> held = byVolume.computeIfAbsent(v, k -> new LinkedHashSet<>());
                graph.objects(v, Aff4Lexicon.CONTAINS).forEach(t -> held.add(t.value()));
            }
        }
        List<MissingVolume> out = new ArrayList<>();
        byVolume.forEach((v, s) -> out.add(new MissingVolume(v, v.isEmpty() ? "" : recordedFileName(v).orElse(""),
                List.copyOf(s))));
        return out;
    }

    /**
     * @return true when the volumes hold something to read as an address space: a memory image, a stream
     *         categorised as physical memory, an aff4:Image or a map
     * @since 0.1
     */
    public boolean holdsImage() {
        return isMemoryImage() || !images().isEmpty() || !maps().isEmpty();
    }

    /**
     * @return the logical files (aff4:FileImage) and the image streams that are not logical files, with their
     *         names and sizes, in file order
     * @since 0.1
     */
    public List<Content> contents() {
        List<Content> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String f : graph.subjectsOfType(Aff4Lexicon.FILE_IMAGE_TYPES)) {
            if (seen.add(f)) {
                out.add(new Content(f, graph.first(f, Aff4Lexicon.FILE_NAMES).map(Aff4Graph.Term::value).orElse(""),
                        graph.firstLong(f, Aff4Lexicon.SIZE).orElse(-1L), "aff4:FileImage"));
            }
        }
        for (String s : imageStreams()) {
            if (seen.add(s)) {
                out.add(new Content(s, graph.first(s, Aff4Lexicon.FILE_NAMES).map(Aff4Graph.Term::value).orElse(""),
                        graph.firstLong(s, Aff4Lexicon.SIZE).orElse(-1L), "aff4:ImageStream"));
            }
        }
        return out;
    }

    private Path fileOf(String urn) {
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.STORED)) {
            for (Volume v : volumes) {
                if (v.urn().equals(t.value())) {
                    return v.file();
                }
            }
        }
        return volumes.get(0).file();
    }

    /** @return the URNs of all streams recorded in the metadata that could be opened as layers */
    public List<String> streamUrns() {
        Set<String> out = new LinkedHashSet<>(maps());
        out.addAll(imageStreams());
        return List.copyOf(out);
    }

    @Override
    public void close() throws IOException {
        if (decoder != null) {
            decoder.shutdownNow();
        }
        cache.clear();
        IOException first = null;
        for (ZipContainer z : containers) {
            try {
                z.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
