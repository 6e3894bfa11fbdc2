package org.vestige.layer.aff4;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.rio.RDFHandlerException;
import org.eclipse.rdf4j.rio.turtle.TurtleWriter;
import org.vestige.core.layer.ScanProgress;
import org.vestige.layer.aff4.internal.Aff4Lexicon;
import org.vestige.layer.aff4.internal.Digester;
import org.vestige.layer.aff4.internal.ImageStreamWriter;
import org.vestige.layer.aff4.internal.MapStream;
import org.vestige.layer.aff4.internal.ZipWriter;

/**
 * Writes a raw memory image (and optionally paging files) as an AFF4 Standard v1.0 volume laid out as WinPmem 3.x
 * lays out memory: an {@code aff4:Map} {@code <volume>/PhysicalMemory} with {@code aff4:category memory:physical}
 * whose data lies in {@code aff4:ImageStream}s (one {@code <map>/data} stream holding every run one after the other,
 * as WinPmem writes, or one stream per run), each paging file an {@code aff4:ImageStream} {@code <volume>/<path>}
 * with {@code aff4:category memory:pagefile} and {@code memory:pagefile_number}; {@code information.turtle},
 * {@code version.txt} and {@code container.description} in a zip64 container. Streams carry their SHA-1 (or chosen)
 * {@code aff4:hash}, maps their segment hashes; block hashes are written when asked for.
 *
 * <p>The output file must not exist. Usage:
 *
 * <pre>
 * try (Aff4Writer w = Aff4Writer.create(out, Aff4Writer.Settings.defaults(Aff4Codec.SNAPPY))) {
 *     w.writePhysicalMemory(raw, List.of(new Aff4Writer.MemoryRun(0, 0, Files.size(raw))));
 *     w.writePagefile(pagefile, "C:\\pagefile.sys", 0);
 * }
 * </pre>
 *
 * @since 0.1
 */
public final class Aff4Writer implements Closeable {

    /** How the physical memory's runs are stored. */
    public enum Layout {
        /** One {@code <map>/data} image stream holding all runs back to back (WinPmem 3.x). */
        SINGLE_DATA_STREAM,
        /** One image stream {@code <map>/run<n>} per run. */
        STREAM_PER_RUN
    }

    /**
     * Writer settings.
     *
     * @param codec            chunk compression
     * @param chunkSize        bytes a chunk (32768 in every known writer)
     * @param chunksPerSegment chunks a bevy (2048 as Evimetry writes; 1024 in c-aff4)
     * @param threads          compression threads
     * @param layout           how memory runs are stored
     * @param streamHashes     algorithms of each stream's aff4:hash (MD5, SHA1, SHA256, SHA512, Blake2b)
     * @param blockHashes      algorithms of per-chunk block hashes, possibly none
     */
    public record Settings(Aff4Codec codec, int chunkSize, int chunksPerSegment, int threads, Layout layout,
            List<String> streamHashes, List<String> blockHashes) {

        public Settings {
            if (chunkSize < 512 || chunkSize > (16 << 20) || chunksPerSegment < 1 || threads < 1
                    || (long) chunkSize * chunksPerSegment > (1L << 30)) {
                throw new IllegalArgumentException("chunk size, chunks per segment or threads out of range");
            }
            streamHashes = streamHashes.stream().map(Aff4Writer::canonicalHash).toList();
            blockHashes = blockHashes.stream().map(Aff4Writer::canonicalHash).toList();
        }

        /** 32 KiB chunks, 2048 a bevy, one thread per core, a single data stream, SHA-1 stream hashes. */
        public static Settings defaults(Aff4Codec codec) {
            return new Settings(codec, 32768, 2048, Runtime.getRuntime().availableProcessors(), Layout.SINGLE_DATA_STREAM,
                    List.of("SHA1"), List.of());
        }

        public Settings withLayout(Layout l) {
            return new Settings(codec, chunkSize, chunksPerSegment, threads, l, streamHashes, blockHashes);
        }

        public Settings withChunksPerSegment(int n) {
            return new Settings(codec, chunkSize, n, threads, layout, streamHashes, blockHashes);
        }

        public Settings withThreads(int n) {
            return new Settings(codec, chunkSize, chunksPerSegment, n, layout, streamHashes, blockHashes);
        }

        public Settings withStreamHashes(List<String> algorithms) {
            return new Settings(codec, chunkSize, chunksPerSegment, threads, layout, algorithms, blockHashes);
        }

        public Settings withBlockHashes(List<String> algorithms) {
            return new Settings(codec, chunkSize, chunksPerSegment, threads, layout, streamHashes, algorithms);
        }
    }

    /**
     * One run of physical memory in the raw image.
     *
     * @param physicalAddress where the run starts in physical memory
     * @param fileOffset      where its bytes start in the raw file
     * @param length          its length in bytes
     */
    public record MemoryRun(long physicalAddress, long fileOffset, long length) {
        public MemoryRun {
            if (physicalAddress < 0 || fileOffset < 0 || length <= 0) {
                throw new IllegalArgumentException("bad memory run " + physicalAddress + "/" + fileOffset + "/" + length);
            }
        }
    }

    private static final String A = Aff4Lexicon.AFF4;
    private static final int COPY_BUFFER = 4 << 20;

    private final Path path;
    private final Settings settings;
    private final ZipWriter zip;
    private final ExecutorService pool;
    private final String volumeUrn;
    private final ValueFactory vf = SimpleValueFactory.getInstance();
    private final List<Object[]> statements = new ArrayList<>();
    private final List<String> contained = new ArrayList<>();
    private boolean memoryWritten;
    private ScanProgress progress = ScanProgress.NONE;
    private boolean closed;

    private Aff4Writer(Path path, Settings settings, ZipWriter zip) {
        this.path = path;
        this.settings = settings;
        this.zip = zip;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "aff4-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.volumeUrn = "aff4://" + UUID.randomUUID();
    }

    /** Creates the volume file, which must not exist yet. */
    public static Aff4Writer create(Path volume, Settings settings) throws IOException {
        return create(volume, settings, false);
    }

    /** As {@link #create(Path, Settings)}, optionally with zip64 records even where sizes do not need them. */
    public static Aff4Writer create(Path volume, Settings settings, boolean forceZip64) throws IOException {
        ZipWriter zip = new ZipWriter(volume, forceZip64);
        Aff4Writer w = new Aff4Writer(volume, settings, zip);
        try {
            zip.addStored("container.description", w.volumeUrn.getBytes(StandardCharsets.UTF_8));
            zip.addStored("version.txt", ("major=1\nminor=0\ntool=Vestige 0.1\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            w.abort();
            throw e;
        }
        return w;
    }

    private static String canonicalHash(String algorithm) {
        return Digester.canonical(algorithm).orElseThrow(() -> new IllegalArgumentException("unsupported hash " + algorithm));
    }

    public String volumeUrn() {
        return volumeUrn;
    }

    /**
     * Reports the bytes copied into image streams by the writes that follow, and stops them with
     * {@link CancellationException} when {@code progress} is cancelled. The caller
     * {@linkplain ScanProgress#begin(long) begins} it with the bytes it will write; the volume of a
     * cancelled write is incomplete and is best deleted once closed.
     *
     * @return this writer
     * @since 0.1
     */
    public Aff4Writer progress(ScanProgress progress) {
        this.progress = progress;
        return this;
    }

    /** @return the URN of the physical memory map this writer uses */
    public String physicalMemoryUrn() {
        return volumeUrn + "/PhysicalMemory";
    }

    /**
     * Writes physical memory: the runs of {@code raw} become map entries at their physical addresses.
     *
     * @param runs the runs in the raw file; null or empty means one run of the whole file at address 0
     * @return the map's URN
     */
    public String writePhysicalMemory(Path raw, List<MemoryRun> runs) throws IOException {
        if (memoryWritten) {
            throw new IllegalStateException("physical memory already written");
        }
        memoryWritten = true;
        long rawSize = Files.size(raw);
        if (runs == null || runs.isEmpty()) {
            runs = List.of(new MemoryRun(0, 0, rawSize));
        }
        List<MemoryRun> sorted = new ArrayList<>(runs);
        sorted.sort((x, y) -> Long.compare(x.physicalAddress(), y.physicalAddress()));
        for (int i = 0; i < sorted.size(); i++) {
            MemoryRun r = sorted.get(i);
            if (r.fileOffset() + r.length() > rawSize) {
                throw new IOException("memory run at physical 0x" + Long.toHexString(r.physicalAddress())
                        + " needs file bytes up to " + (r.fileOffset() + r.length()) + " but " + raw + " has " + rawSize);
            }
            if (i > 0 && sorted.get(i - 1).physicalAddress() + sorted.get(i - 1).length() > r.physicalAddress()) {
                throw new IllegalArgumentException("memory runs overlap at physical 0x" + Long.toHexString(r.physicalAddress()));
            }
        }
        String mapUrn = physicalMemoryUrn();
        List<ImageStreamWriter.Result> streams = new ArrayList<>();
        ByteBuffer map = ByteBuffer.allocate(sorted.size() * MapStream.ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        List<String> targets = new ArrayList<>();
        try (FileChannel in = FileChannel.open(raw, StandardOpenOption.READ)) {
            if (settings.layout() == Layout.SINGLE_DATA_STREAM) {
                String dataUrn = mapUrn + "/data";
                ImageStreamWriter w = streamWriter(dataUrn);
                for (MemoryRun r : sorted) {
                    map.putLong(r.physicalAddress()).putLong(r.length()).putLong(w.size()).putInt(0);
                    copy(in, r.fileOffset(), r.length(), w);
                }
                streams.add(w.finish());
                targets.add(dataUrn);
            } else {
                for (int i = 0; i < sorted.size(); i++) {
                    MemoryRun r = sorted.get(i);
                    String runUrn = mapUrn + "/run" + i;
                    ImageStreamWriter w = streamWriter(runUrn);
                    copy(in, r.fileOffset(), r.length(), w);
                    streams.add(w.finish());
                    map.putLong(r.physicalAddress()).putLong(r.length()).putLong(0).putInt(i);
                    targets.add(runUrn);
                }
            }
        }
        byte[] mapBytes = map.array();
        byte[] idxBytes = (String.join("\n", targets) + "\n").getBytes(StandardCharsets.UTF_8);
        String mapMember = memberName(mapUrn);
        zip.addStored(mapMember + "/map", mapBytes);
        zip.addStored(mapMember + "/idx", idxBytes);
        MemoryRun last = sorted.get(sorted.size() - 1);
        long size = last.physicalAddress() + last.length();
        type(mapUrn, A + "Map");
        iri(mapUrn, A + "category", Aff4Lexicon.MEMORY_PHYSICAL);
        lit(mapUrn, A + "size", vf.createLiteral(size));
        iri(mapUrn, A + "stored", volumeUrn);
        iri(mapUrn, A + "mapGapDefaultStream", Aff4Lexicon.ZERO);
        for (String t : targets) {
            iri(mapUrn, A + "dependentStream", t);
        }
        byte[] pointHash = Digester.of("SHA512", mapBytes);
        byte[] idxHash = Digester.of("SHA512", idxBytes);
        hash(mapUrn, A + "mapPointHash", "SHA512", pointHash);
        hash(mapUrn, A + "mapIdxHash", "SHA512", idxHash);
        hash(mapUrn, A + "mapHash", "SHA512", Digester.of("SHA512", mapBytes, idxBytes));
        if (streams.size() == 1 && !settings.blockHashes().isEmpty()) {
            Digester d = Digester.create("SHA512");
            for (String alg : List.of("MD5", "SHA1", "SHA256", "SHA512", "Blake2b")) {
                byte[] seg = streams.get(0).blockHashSegmentHashes().get(alg);
                if (seg != null) {
                    d.update(seg);
                }
            }
            d.update(pointHash);
            d.update(idxHash);
            hash(mapUrn, A + "blockMapHash", "SHA512", d.digest());
        }
        contained.add(mapUrn);
        for (ImageStreamWriter.Result r : streams) {
            describeStream(r, mapUrn);
        }
        return mapUrn;
    }

    /**
     * Writes a paging file as an image stream tagged {@code memory:pagefile} with its page-file number.
     *
     * @param nameOnSystem its path on the acquired system, e.g. {@code C:\pagefile.sys}
     * @return the stream's URN
     */
    public String writePagefile(Path file, String nameOnSystem, int pagefileNumber) throws IOException {
        String urn = volumeUrn + "/" + nameOnSystem.replace('\\', '/').replaceFirst("^/+", "");
        ImageStreamWriter w = streamWriter(urn);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            copy(in, 0, in.size(), w);
        }
        ImageStreamWriter.Result r = w.finish();
        describeStream(r, null);
        iri(urn, A + "category", Aff4Lexicon.MEMORY_PAGEFILE);
        lit(urn, Aff4Lexicon.MEMORY_PAGEFILE_NUMBER, vf.createLiteral(pagefileNumber));
        return urn;
    }

    private ImageStreamWriter streamWriter(String urn) {
        return new ImageStreamWriter(urn, memberName(urn), zip, settings.codec(), settings.chunkSize(),
                settings.chunksPerSegment(), pool, settings.streamHashes(), settings.blockHashes());
    }

    private void copy(FileChannel in, long offset, long length, ImageStreamWriter out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, Math.max(1, length)));
        long done = 0;
        while (done < length) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), length - done));
            int n = in.read(buf, offset + done);
            if (n < 0) {
                throw new IOException("unexpected end of input at " + (offset + done));
            }
            out.write(buf.array(), 0, n);
            done += n;
            progress.worked(n);
            if (progress.isCanceled()) {
                throw new CancellationException("writing " + out.urn() + " cancelled after " + done + " of " + length
                        + " bytes");
            }
        }
    }

    private void describeStream(ImageStreamWriter.Result r, String target) {
        String urn = r.urn();
        type(urn, A + "ImageStream");
        lit(urn, A + "chunkSize", vf.createLiteral(settings.chunkSize()));
        lit(urn, A + "chunksInSegment", vf.createLiteral(settings.chunksPerSegment()));
        iri(urn, A + "compressionMethod", settings.codec().uri());
        lit(urn, A + "size", vf.createLiteral(r.size()));
        iri(urn, A + "stored", volumeUrn);
        lit(urn, A + "version", vf.createLiteral(1));
        if (target != null) {
            iri(urn, A + "target", target);
        }
        for (Map.Entry<String, byte[]> h : r.linearHashes().entrySet()) {
            hash(urn, A + "hash", h.getKey(), h.getValue());
        }
        for (Map.Entry<String, byte[]> b : r.blockHashSegmentHashes().entrySet()) {
            String bh = urn + "/blockhash." + b.getKey().toLowerCase(Locale.ROOT);
            type(bh, A + "BlockHashes");
            hash(bh, A + "hash", "SHA512", b.getValue());
        }
        contained.add(urn);
    }

    private void type(String s, String type) {
        statements.add(new Object[] {s, Aff4Lexicon.RDF_TYPE, vf.createIRI(type)});
    }

    private void iri(String s, String p, String o) {
        statements.add(new Object[] {s, p, vf.createIRI(o)});
    }

    private void lit(String s, String p, Value o) {
        statements.add(new Object[] {s, p, o});
    }

    private void hash(String s, String p, String algorithm, byte[] digest) {
        statements.add(new Object[] {s, p, vf.createLiteral(HexFormat.of().formatHex(digest), vf.createIRI(A + algorithm))});
    }

    /**
     * @return the zip member name of a URN: relative to the volume URN where it lies below it (as c-aff4 names
     *         members), characters other than letters, digits and {@code ._-/} %-escaped; other URNs with their
     *         {@code aff4://} escaped as Evimetry does
     */
    String memberName(String urn) {
        String rel;
        if (urn.startsWith(volumeUrn + "/")) {
            rel = urn.substring(volumeUrn.length() + 1);
        } else {
            return urn.replace("aff4://", "aff4%3A%2F%2F");
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : rel.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-' || c == '/') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return sb.toString();
    }

    private byte[] turtle() throws IOException {
        type(volumeUrn, A + "ZipVolume");
        lit(volumeUrn, A + "creationTime", vf.createLiteral(java.util.Date.from(Instant.now())));
        lit(volumeUrn, A + "stored", vf.createLiteral(path.getFileName().toString()));
        for (String c : contained) {
            iri(volumeUrn, A + "contains", c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TurtleWriter w = new TurtleWriter(out);
        try {
            w.startRDF();
            w.handleNamespace("aff4", A);
            w.handleNamespace("memory", Aff4Lexicon.MEMORY);
            w.handleNamespace("xsd", Aff4Lexicon.XSD);
            w.handleNamespace("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
            for (Object[] st : statements) {
                Resource s = vf.createIRI((String) st[0]);
                IRI p = vf.createIRI((String) st[1]);
                w.handleStatement(vf.createStatement(s, p, (Value) st[2]));
            }
            w.endRDF();
        } catch (RDFHandlerException e) {
            throw new IOException("cannot write information.turtle: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Writes the metadata and the zip directory and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            zip.addDeflated("information.turtle", turtle());
            zip.finish(volumeUrn);
        } finally {
            pool.shutdownNow();
            zip.close();
        }
    }

    /** Stops writing and deletes the partial file. */
    public void abort() throws IOException {
        closed = true;
        pool.shutdownNow();
        zip.close();
        Files.deleteIfExists(path);
    }
}
