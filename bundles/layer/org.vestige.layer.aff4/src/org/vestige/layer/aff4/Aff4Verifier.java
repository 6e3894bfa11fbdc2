package org.vestige.layer.aff4;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;
import org.vestige.layer.aff4.internal.Aff4Graph;
import org.vestige.layer.aff4.internal.Aff4Lexicon;
import org.vestige.layer.aff4.internal.Digester;
import org.vestige.layer.aff4.internal.ImageStream;
import org.vestige.layer.aff4.internal.Segment;

/**
 * Checks the hashes an AFF4 volume stores about itself, per stream, and says for each whether it matches:
 * <ul>
 * <li>image streams: {@code aff4:hash} (the stream's bytes), block hashes ({@code <bevy>.blockHash.<alg>}, one
 * digest per chunk), the {@code aff4:BlockHashes} objects and {@code aff4:blockHashesHash} (the block-hash
 * segments hashed), {@code aff4:imageStreamIndexHash} (the bevy indexes hashed);</li>
 * <li>maps: {@code aff4:mapPointHash} (the map segment), {@code aff4:mapIdxHash} (idx), {@code aff4:mapPathHash}
 * (mapPath), {@code aff4:mapHash} (map, idx and mapPath together) and {@code aff4:blockMapHash} (the block-hash
 * segment hashes in the order MD5, SHA1, SHA256, SHA512, Blake2b, then the map point, idx and path hashes, each
 * digest in the algorithm its own recorded hash uses);</li>
 * <li>images: {@code aff4:hash} typed {@code blockMapHashSHA512} (the map's block map hash; with several maps, the
 * hash of their block map hashes in map URN order) or a plain algorithm (the image read through its map).</li>
 * </ul>
 * Hashes whose construction no standard or reference implementation documents ({@code aff4:imageStreamHash},
 * {@code aff4:linearBlockHash}) are listed as not checked.
 *
 * @since 0.1
 */
public final class Aff4Verifier {

    /** Outcome of one check. */
    public enum Status {
        MATCH, MISMATCH, NOT_CHECKED, ERROR
    }

    /**
     * One stored hash and what it was checked against.
     *
     * @param subject   the URN the hash is recorded on
     * @param what      what is hashed, e.g. {@code aff4:hash}, {@code block hashes}, {@code aff4:mapIdxHash}
     * @param algorithm the hash algorithm (AFF4 name)
     * @param expected  the stored value (hex), or empty
     * @param computed  the computed value (hex), or empty
     * @param status    the outcome
     * @param detail    an explanation (which chunks differ, why not checked, what failed)
     */
    public record HashCheck(String subject, String what, String algorithm, String expected, String computed,
            Status status, String detail) {
    }

    /** All checks of a volume set. */
    public record Report(List<HashCheck> checks) {

        public Report {
            checks = List.copyOf(checks);
        }

        public long count(Status status) {
            return checks.stream().filter(c -> c.status() == status).count();
        }

        /** @return true when at least one hash was checked and none mismatched or failed */
        public boolean verified() {
            return count(Status.MATCH) > 0 && count(Status.MISMATCH) == 0 && count(Status.ERROR) == 0;
        }

        public List<HashCheck> forSubject(String urn) {
            return checks.stream().filter(c -> c.subject().equals(urn)).toList();
        }
    }

    private static final List<String> BLOCK_ORDER = List.of("MD5", "SHA1", "SHA256", "SHA512", "Blake2b");
    private static final long MAX_SEGMENT = 256L << 20;

    private final Aff4Resolver resolver;
    private final Aff4Graph graph;
    /** Digests of the block-hash segments by stream, then by block algorithm (null: none recorded). */
    private final Map<String, Map<String, byte[]>> blockSegments = new LinkedHashMap<>();
    /** Concatenated block-hash segments by stream, then by block algorithm. */
    private final Map<String, Map<String, byte[]>> segmentsRaw = new LinkedHashMap<>();

    private ScanProgress progress = ScanProgress.NONE;

    public Aff4Verifier(Aff4Resolver resolver) {
        this.resolver = resolver;
        this.graph = resolver.graph();
    }

    /** Checks every stored hash of every stream, map and image. Reads every chunk of every image stream once. */
    public Report verify() {
        return verify(ScanProgress.NONE);
    }

    /**
     * Checks every stored hash as {@link #verify()} does, reporting the bytes of image streams read.
     *
     * @throws CancellationException when {@code progress} is cancelled
     * @since 0.1
     */
    public Report verify(ScanProgress progress) {
        this.progress = progress;
        long total = 0;
        for (String s : resolver.imageStreams()) {
            try {
                if (resolver.stream(s) instanceof ImageStream is) {
                    total += is.size();
                }
            } catch (EvidenceException e) {
                // reported by verifyImageStream
            }
        }
        progress.begin(total);
        List<HashCheck> out = new ArrayList<>();
        for (String s : resolver.imageStreams()) {
            verifyImageStream(s, out);
        }
        Map<String, byte[]> blockMapHashes = new TreeMap<>();
        for (String m : resolver.maps()) {
            verifyMap(m, out, blockMapHashes);
        }
        for (String i : resolver.images()) {
            verifyImage(i, out, blockMapHashes);
        }
        progress.done();
        return new Report(out);
    }

    // ---------------------------------------------------------------- image streams

    private void verifyImageStream(String urn, List<HashCheck> out) {
        ImageStream stream;
        try {
            Layer l = resolver.stream(urn);
            if (!(l instanceof ImageStream is)) {
                return;
            }
            stream = is;
        } catch (EvidenceException e) {
            out.add(new HashCheck(urn, "stream", "", "", "", Status.ERROR, e.getMessage()));
            return;
        }
        Map<String, String> linear = new LinkedHashMap<>();
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.HASH)) {
            Optional<String> alg = Digester.canonical(t.datatypeName());
            if (alg.isPresent()) {
                linear.put(alg.get(), t.value().toLowerCase(Locale.ROOT));
            }
        }
        // Block hashes: one segment per bevy per algorithm.
        Map<String, List<byte[]>> blocks = new LinkedHashMap<>();
        for (String alg : BLOCK_ORDER) {
            List<byte[]> perBevy = new ArrayList<>();
            boolean any = false;
            for (int b = 0; b < stream.bevyCount(); b++) {
                Segment seg = blockHashSegment(stream, b, alg);
                byte[] bytes = null;
                if (seg != null) {
                    try {
                        bytes = seg.readAll(MAX_SEGMENT);
                        any = true;
                    } catch (IOException e) {
                        out.add(new HashCheck(urn, "block hashes", alg, "", "", Status.ERROR,
                                "block hash segment " + seg.describe() + " cannot be read: " + e.getMessage()));
                    }
                }
                perBevy.add(bytes);
            }
            if (any) {
                blocks.put(alg, perBevy);
            }
        }
        Map<String, Digester> linearDigests = new LinkedHashMap<>();
        linear.keySet().forEach(a -> linearDigests.put(a, Digester.create(a)));
        Map<String, Digester> blockDigests = new LinkedHashMap<>();
        blocks.keySet().forEach(a -> blockDigests.put(a, Digester.create(a)));
        Map<String, int[]> mismatches = new LinkedHashMap<>();
        Map<String, List<Long>> firstMismatches = new LinkedHashMap<>();
        String unreadable = null;
        long unreadableChunks = 0;
        if (!linear.isEmpty() || !blocks.isEmpty()) {
            for (long i = 0; i < stream.chunkCount(); i++) {
                if (progress.isCanceled()) {
                    throw new CancellationException("verification cancelled in " + urn + " at chunk " + i);
                }
                int length = (int) Math.min(stream.chunkSize(), stream.size() - i * stream.chunkSize());
                byte[] chunk;
                try {
                    chunk = stream.chunk(i);
                } catch (ImageStream.ChunkUnavailableException e) {
                    unreadableChunks++;
                    if (unreadable == null) {
                        unreadable = e.getMessage();
                    }
                    chunk = new byte[stream.chunkSize()];
                }
                for (Digester d : linearDigests.values()) {
                    d.update(chunk, 0, length);
                }
                progress.worked(length);
                int bevy = (int) (i / stream.chunksPerSegment());
                int within = (int) (i % stream.chunksPerSegment());
                for (Map.Entry<String, Digester> e : blockDigests.entrySet()) {
                    Digester d = e.getValue();
                    d.update(chunk, 0, length);
                    byte[] computed = d.digest();
                    byte[] seg = blocks.get(e.getKey()).get(bevy);
                    int len = computed.length;
                    boolean ok = seg != null && (within + 1) * len <= seg.length
                            && Arrays.equals(seg, within * len, (within + 1) * len, computed, 0, len);
                    int[] counts = mismatches.computeIfAbsent(e.getKey(), k -> new int[2]);
                    counts[1]++;
                    if (!ok) {
                        counts[0]++;
                        List<Long> first = firstMismatches.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                        if (first.size() < 8) {
                            first.add(i);
                        }
                    }
                }
            }
        }
        String unreadableNote = unreadable == null ? ""
                : "; " + unreadableChunks + " chunk(s) unreadable and hashed as zeros, first: " + unreadable;
        for (Map.Entry<String, String> e : linear.entrySet()) {
            String computed = Digester.hex(linearDigests.get(e.getKey()).digest());
            boolean match = computed.equals(e.getValue());
            out.add(new HashCheck(urn, "aff4:hash", e.getKey(), e.getValue(), computed,
                    match ? Status.MATCH : (unreadable != null ? Status.ERROR : Status.MISMATCH),
                    "hash of the stream's " + stream.size() + " bytes" + unreadableNote));
        }
        for (Map.Entry<String, int[]> e : mismatches.entrySet()) {
            int[] c = e.getValue();
            out.add(new HashCheck(urn, "block hashes", e.getKey(), "", "", c[0] == 0 ? Status.MATCH : Status.MISMATCH,
                    c[0] == 0 ? "all " + c[1] + " chunks match their stored " + e.getKey() + " digests"
                            : c[0] + " of " + c[1] + " chunks differ from their stored digests, first at chunk(s) "
                                    + firstMismatches.get(e.getKey())));
        }
        // The block-hash segments hashed: aff4:BlockHashes objects and aff4:blockHashesHash.
        Map<String, byte[]> segmentsByAlg = new LinkedHashMap<>();
        for (Map.Entry<String, List<byte[]>> e : blocks.entrySet()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] b : e.getValue()) {
                if (b != null) {
                    all.writeBytes(b);
                }
            }
            segmentsByAlg.put(e.getKey(), all.toByteArray());
        }
        Map<String, byte[]> digestsForBlockMap = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : segmentsByAlg.entrySet()) {
            String blockAlg = e.getKey();
            String subject = urn + "/blockhash." + blockAlg.toLowerCase(Locale.ROOT);
            for (Aff4Graph.Term t : graph.objects(subject, Aff4Lexicon.HASH)) {
                check(out, subject, "aff4:BlockHashes (" + blockAlg + " block hashes hashed)", t, e.getValue(),
                        digestsForBlockMap, blockAlg);
            }
        }
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.BLOCK_HASHES_HASH)) {
            Optional<String> alg = Digester.canonical(t.datatypeName());
            if (alg.isPresent() && segmentsByAlg.containsKey(alg.get())) {
                check(out, urn, "aff4:blockHashesHash", t, segmentsByAlg.get(alg.get()), digestsForBlockMap, alg.get());
            } else {
                out.add(new HashCheck(urn, "aff4:blockHashesHash", t.datatypeName(), t.value(), "", Status.ERROR,
                        "no " + t.datatypeName() + " block hash segments to check it against"));
            }
        }
        // Blocks with no recorded segment hash still count in the block map hash, hashed like the map's hashes.
        for (Map.Entry<String, byte[]> e : segmentsByAlg.entrySet()) {
            digestsForBlockMap.putIfAbsent(e.getKey(), null);
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String alg : BLOCK_ORDER) {
            if (digestsForBlockMap.containsKey(alg)) {
                ordered.put(alg, digestsForBlockMap.get(alg));
            }
        }
        blockSegments.put(urn, ordered);
        segmentsRaw.put(urn, segmentsByAlg);
        // The bevy indexes hashed.
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.IMAGE_STREAM_INDEX_HASH)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            String missing = null;
            for (int b = 0; b < stream.bevyCount(); b++) {
                Segment idx = resolver.segment(stream.bevyUrn(b) + ".index");
                if (idx == null) {
                    idx = resolver.segment(stream.bevyUrn(b) + "/index");
                }
                try {
                    if (idx == null) {
                        throw new IOException(stream.bevyUrn(b) + ".index is missing");
                    }
                    all.writeBytes(idx.readAll(MAX_SEGMENT));
                } catch (IOException ex) {
                    missing = ex.getMessage();
                    break;
                }
            }
            if (missing != null) {
                out.add(new HashCheck(urn, "aff4:imageStreamIndexHash", t.datatypeName(), t.value(), "", Status.ERROR,
                        missing));
            } else {
                check(out, urn, "aff4:imageStreamIndexHash", t, all.toByteArray(), null, null);
            }
        }
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.IMAGE_STREAM_HASH)) {
            out.add(new HashCheck(urn, "aff4:imageStreamHash", t.datatypeName(), t.value(), "", Status.NOT_CHECKED,
                    "how this hash is computed is documented neither by the AFF4 Standard v1.0 nor by the reference "
                            + "implementations"));
        }
    }

    /** @return the block hash segment of a bevy: {@code <bevy>.blockHash.<alg>} (pre-standard: {@code <bevy>/blockHash.<alg>}) */
    private Segment blockHashSegment(ImageStream stream, int bevy, String alg) {
        String base = stream.bevyUrn(bevy);
        String a = alg.toLowerCase(Locale.ROOT);
        Segment s = resolver.segment(base + ".blockHash." + a);
        if (s == null) {
            s = resolver.segment(base + "/blockHash." + a);
        }
        return s;
    }

    /**
     * Checks a stored hash term over {@code data}; when {@code collect} is given, also remembers the computed digest
     * under {@code key}.
     */
    private static void check(List<HashCheck> out, String subject, String what, Aff4Graph.Term stored, byte[] data,
            Map<String, byte[]> collect, String key) {
        Optional<String> alg = Digester.canonical(stored.datatypeName());
        if (alg.isEmpty()) {
            out.add(new HashCheck(subject, what, stored.datatypeName(), stored.value(), "", Status.NOT_CHECKED,
                    "hash type " + stored.datatypeName() + " is not supported"));
            return;
        }
        byte[] digest = Digester.of(alg.get(), data);
        if (collect != null) {
            collect.put(key, digest);
        }
        String computed = Digester.hex(digest);
        String expected = stored.value().toLowerCase(Locale.ROOT);
        out.add(new HashCheck(subject, what, alg.get(), expected, computed,
                computed.equals(expected) ? Status.MATCH : Status.MISMATCH, data.length + " bytes hashed"));
    }

    // ---------------------------------------------------------------- maps

    private void verifyMap(String urn, List<HashCheck> out, Map<String, byte[]> blockMapHashes) {
        byte[] map = segmentBytes(urn + "/map");
        byte[] idx = segmentBytes(urn + "/idx");
        byte[] path = segmentBytes(urn + "/mapPath");
        Map<String, Aff4Graph.Term> recorded = new LinkedHashMap<>();
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put(Aff4Lexicon.MAP_POINT_HASH, map);
        parts.put(Aff4Lexicon.MAP_IDX_HASH, idx);
        parts.put(Aff4Lexicon.MAP_PATH_HASH, path);
        Map<String, byte[]> partDigests = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> p : parts.entrySet()) {
            for (Aff4Graph.Term t : graph.objects(urn, p.getKey())) {
                recorded.put(p.getKey(), t);
                if (p.getValue() == null) {
                    out.add(new HashCheck(urn, Aff4Lexicon.shortName(p.getKey()), t.datatypeName(), t.value(), "",
                            Status.ERROR, "the segment it covers is missing"));
                } else {
                    check(out, urn, Aff4Lexicon.shortName(p.getKey()), t, p.getValue(), partDigests, p.getKey());
                }
            }
        }
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.MAP_HASH)) {
            if (map == null || idx == null) {
                out.add(new HashCheck(urn, "aff4:mapHash", t.datatypeName(), t.value(), "", Status.ERROR,
                        "the map or idx segment is missing"));
                continue;
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(map);
            all.writeBytes(idx);
            if (path != null) {
                all.writeBytes(path);
            }
            check(out, urn, "aff4:mapHash", t, all.toByteArray(), null, null);
        }
        List<Aff4Graph.Term> blockMap = new ArrayList<>(graph.objects(urn, Aff4Lexicon.BLOCK_MAP_HASH));
        // Before the standard, Evimetry recorded the block map hash on the map as aff4:blockHashesHash.
        blockMap.addAll(graph.objects(urn, Aff4Lexicon.BLOCK_HASHES_HASH));
        for (Aff4Graph.Term t : blockMap) {
            Optional<String> outer = Digester.canonical(t.datatypeName());
            if (outer.isEmpty()) {
                out.add(new HashCheck(urn, "aff4:blockMapHash", t.datatypeName(), t.value(), "", Status.NOT_CHECKED,
                        "hash type " + t.datatypeName() + " is not supported"));
                continue;
            }
            String stream = localDependentStream(urn);
            if (stream == null || !blockSegments.containsKey(stream)) {
                out.add(new HashCheck(urn, "aff4:blockMapHash", outer.get(), t.value(), "", Status.ERROR,
                        "the map's image stream and its block hashes are not in the opened volume(s)"));
                continue;
            }
            Digester d = Digester.create(outer.get());
            for (Map.Entry<String, byte[]> e : blockSegments.get(stream).entrySet()) {
                byte[] digest = e.getValue() != null ? e.getValue()
                        : Digester.of(outer.get(), segmentsRaw.get(stream).get(e.getKey()));
                d.update(digest);
            }
            for (String part : List.of(Aff4Lexicon.MAP_POINT_HASH, Aff4Lexicon.MAP_IDX_HASH, Aff4Lexicon.MAP_PATH_HASH)) {
                byte[] digest = partDigests.get(part);
                if (digest == null && parts.get(part) != null && (recorded.containsKey(part)
                        || !part.equals(Aff4Lexicon.MAP_PATH_HASH))) {
                    digest = Digester.of(outer.get(), parts.get(part));
                }
                if (digest != null) {
                    d.update(digest);
                }
            }
            byte[] computed = d.digest();
            blockMapHashes.put(urn, computed);
            String hex = Digester.hex(computed);
            String expected = t.value().toLowerCase(Locale.ROOT);
            out.add(new HashCheck(urn, "aff4:blockMapHash", outer.get(), expected, hex,
                    hex.equals(expected) ? Status.MATCH : Status.MISMATCH,
                    "block hash segment digests of " + stream + " and the map point, idx and path digests"));
        }
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.LINEAR_BLOCK_HASH)) {
            out.add(new HashCheck(urn, "aff4:linearBlockHash", t.datatypeName(), t.value(), "", Status.NOT_CHECKED,
                    "how this hash is computed is documented neither by the AFF4 Standard v1.0 nor by the reference "
                            + "implementations"));
        }
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.HASH)) {
            linearCheck(urn, t, out);
        }
    }

    /** @return the map's dependent image stream stored in the same volume as the map (else the first one) */
    private String localDependentStream(String mapUrn) {
        List<Aff4Graph.Term> deps = new ArrayList<>(graph.objects(mapUrn, Aff4Lexicon.DEPENDENT_STREAM));
        if (deps.isEmpty()) {
            for (String s : resolver.imageStreams()) {
                if (graph.objects(s, Aff4Lexicon.TARGET).stream().anyMatch(t -> t.value().equals(mapUrn))) {
                    deps.add(new Aff4Graph.Term(s, Aff4Graph.Term.Kind.IRI, null));
                }
            }
        }
        String mapVolume = graph.first(mapUrn, Aff4Lexicon.STORED).map(Aff4Graph.Term::value).orElse(null);
        for (Aff4Graph.Term d : deps) {
            String v = graph.first(d.value(), Aff4Lexicon.STORED).map(Aff4Graph.Term::value).orElse(null);
            if (mapVolume != null && mapVolume.equals(v)) {
                return d.value();
            }
        }
        return deps.isEmpty() ? null : deps.get(0).value();
    }

    private byte[] segmentBytes(String urn) {
        Segment s = resolver.segment(urn);
        if (s == null) {
            return null;
        }
        try {
            return s.readAll(MAX_SEGMENT);
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- images

    private void verifyImage(String urn, List<HashCheck> out, Map<String, byte[]> blockMapHashes) {
        for (Aff4Graph.Term t : graph.objects(urn, Aff4Lexicon.HASH)) {
            String type = t.datatypeName();
            if (type.startsWith("blockMapHash")) {
                Optional<String> alg = Digester.canonical(type.substring("blockMapHash".length()));
                List<String> maps = new ArrayList<>();
                for (Aff4Graph.Term d : graph.objects(urn, Aff4Lexicon.DATA_STREAM)) {
                    if (blockMapHashes.containsKey(d.value())) {
                        maps.add(d.value());
                    }
                }
                if (alg.isEmpty() || maps.isEmpty()) {
                    out.add(new HashCheck(urn, "aff4:hash", type, t.value(), "", Status.ERROR,
                            "no block map hash of this image's map(s) could be computed"));
                    continue;
                }
                byte[] computed;
                if (maps.size() == 1) {
                    computed = blockMapHashes.get(maps.get(0));
                } else {
                    Digester d = Digester.create(alg.get());
                    maps.stream().sorted().forEach(m -> d.update(blockMapHashes.get(m)));
                    computed = d.digest();
                }
                String hex = Digester.hex(computed);
                String expected = t.value().toLowerCase(Locale.ROOT);
                out.add(new HashCheck(urn, "aff4:hash", type, expected, hex,
                        hex.equals(expected) ? Status.MATCH : Status.MISMATCH,
                        maps.size() == 1 ? "the block map hash of " + maps.get(0)
                                : "the hash of the block map hashes of " + maps));
            } else {
                linearCheck(urn, t, out);
            }
        }
    }

    /** A plain hash over the whole stream read through its layer (maps: gaps as the map fills them). */
    private void linearCheck(String urn, Aff4Graph.Term t, List<HashCheck> out) {
        Optional<String> alg = Digester.canonical(t.datatypeName());
        if (alg.isEmpty()) {
            out.add(new HashCheck(urn, "aff4:hash", t.datatypeName(), t.value(), "", Status.NOT_CHECKED,
                    "hash type " + t.datatypeName() + " is not supported"));
            return;
        }
        Layer layer;
        try {
            layer = resolver.stream(urn);
        } catch (EvidenceException e) {
            out.add(new HashCheck(urn, "aff4:hash", alg.get(), t.value(), "", Status.ERROR, e.getMessage()));
            return;
        }
        Digester d = Digester.create(alg.get());
        byte[] buffer = new byte[1 << 20];
        long[] missing = new long[1];
        for (long o = 0; o < layer.size(); o += buffer.length) {
            int n = (int) Math.min(buffer.length, layer.size() - o);
            layer.read(o, buffer, 0, n, (a, l, p) -> {
                if (!p.isAvailable()) {
                    missing[0] += l;
                }
            });
            d.update(buffer, 0, n);
        }
        String computed = Digester.hex(d.digest());
        String expected = t.value().toLowerCase(Locale.ROOT);
        out.add(new HashCheck(urn, "aff4:hash", alg.get(), expected, computed,
                computed.equals(expected) ? Status.MATCH : Status.MISMATCH,
                "hash of the " + layer.size() + " bytes read through the layer, " + missing[0]
                        + " of them filler for gaps or unreadable data"));
    }
}
