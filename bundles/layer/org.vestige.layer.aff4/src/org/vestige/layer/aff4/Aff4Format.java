package org.vestige.layer.aff4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.Layer;
import org.vestige.layer.aff4.internal.Aff4Lexicon;
import org.vestige.layer.aff4.internal.ImageStream;
import org.vestige.layer.aff4.internal.MapStream;
import org.vestige.layer.aff4.internal.ZipContainer;

/**
 * The AFF4 evidence format (format id {@code aff4}): AFF4 Standard v1.0 and pre-standard volumes, memory images
 * (WinPmem, Evimetry {@code aff4:MemoryImage}) and disk images. Opens the volume read-only; the physical layer is
 * the memory image's map (or, for a disk image, its first aff4:Image read through its map), and the paging files
 * WinPmem stores beside the memory ({@code memory:pagefile} streams) become backing files with the page-file number
 * they were recorded with.
 *
 * @since 0.1
 */
public class Aff4Format implements EvidenceFormat {

    /** The format id used in {@link OpenedEvidence#formatId()}. */
    public static final String ID = "aff4";

    private final Aff4Options options;

    public Aff4Format() {
        this(Aff4Options.defaults());
    }

    public Aff4Format(Aff4Options options) {
        this.options = options;
    }

    @Override
    public ProbeResult probe(Path file) {
        if (!Files.isRegularFile(file)) {
            return ProbeResult.no("not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            if (head.position() < 4 || head.getInt(0) != 0x04034b50) {
                if (tailNamesAff4Members(ch)) {
                    return new ProbeResult(50, "no zip local-file signature (PK\\3\\4) at offset 0, but the end of "
                            + "the file holds a zip central directory naming information.turtle: a damaged AFF4 "
                            + "volume");
                }
                return ProbeResult.no("no zip local-file signature (PK\\3\\4) at offset 0, so not an AFF4 volume");
            }
        } catch (IOException e) {
            return ProbeResult.no("cannot read the file: " + e.getMessage());
        }
        try (ZipContainer zip = ZipContainer.open(file)) {
            if (zip.member("information.turtle") == null) {
                return ProbeResult.no("a zip archive with " + zip.members().size()
                        + " members but no information.turtle, so not an AFF4 volume");
            }
            String version = zip.member("version.txt") != null ? ", version.txt" : "";
            return ProbeResult.certain("zip container with information.turtle" + version + " (" + zip.members().size()
                    + " members): an AFF4 volume");
        } catch (IOException e) {
            return new ProbeResult(30, "starts with a zip signature but its central directory cannot be read ("
                    + e.getMessage() + "); it may be a truncated AFF4 volume");
        }
    }

    /** The end-of-central-directory record is in the last 64 KiB + 22 bytes of a zip (its comment is at most 64 KiB). */
    private static final int ZIP_TAIL = 0x10000 + 22;

    /** The most central directory a probe reads looking for an AFF4 member name. */
    private static final long MAX_PROBED_DIRECTORY = 16L << 20;

    /**
     * @return whether the file ends with a zip end-of-central-directory record (zip64 included) whose central
     *         directory names {@code information.turtle}: the zip's head is damaged but its directory says it
     *         was an AFF4 volume
     */
    private static boolean tailNamesAff4Members(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 22) {
            return false;
        }
        int n = (int) Math.min(size, ZIP_TAIL);
        ByteBuffer tail = readFully(ch, size - n, n);
        int eocd = -1;
        for (int i = n - 22; i >= 0 && eocd < 0; i--) {
            if (tail.getInt(i) == 0x06054b50) {
                eocd = i;
            }
        }
        if (eocd < 0) {
            return false;
        }
        long dirSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
        long dirOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
        if ((dirSize == 0xFFFFFFFFL || dirOffset == 0xFFFFFFFFL) && eocd >= 20
                && tail.getInt(eocd - 20) == 0x07064b50) {
            long zip64 = tail.getLong(eocd - 20 + 8);
            if (zip64 < 0 || zip64 > size - 56) {
                return false;
            }
            ByteBuffer record = readFully(ch, zip64, 56);
            if (record.getInt(0) != 0x06064b50) {
                return false;
            }
            dirSize = record.getLong(40);
            dirOffset = record.getLong(48);
        }
        if (dirOffset < 0 || dirSize <= 0 || dirSize > MAX_PROBED_DIRECTORY || dirOffset > size - dirSize) {
            return false;
        }
        byte[] directory = readFully(ch, dirOffset, (int) dirSize).array();
        return new String(directory, java.nio.charset.StandardCharsets.ISO_8859_1).contains("information.turtle");
    }

    private static ByteBuffer readFully(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
            // until the buffer is full or the file ends
        }
        return b;
    }

    @Override
    public OpenedEvidence open(Path file) throws EvidenceException {
        return open(List.of(file));
    }

    /** Opens {@code file} with the other volumes of its set the analyst gave ({@link #open(List)}). */
    @Override
    public OpenedEvidence open(Path file, List<Path> companions) throws EvidenceException {
        List<Path> files = new ArrayList<>();
        files.add(file);
        files.addAll(companions);
        return open(files);
    }

    /**
     * Opens the volume files of one evidence set together (a map whose data lies in another volume of the set),
     * with the volumes of the set found beside the first ({@link Aff4VolumeSet}). The first file's primary image
     * becomes the physical layer.
     *
     * @throws org.vestige.core.evidence.NotMemoryException when the volumes hold logical files and no image
     */
    public OpenedEvidence open(List<Path> files) throws EvidenceException {
        Aff4VolumeSet set = Aff4VolumeSet.open(files, options);
        Aff4Resolver resolver = set.resolver();
        try {
            if (!resolver.holdsImage() && resolver.contents().stream().anyMatch(c -> c.kind().equals(
                    "aff4:FileImage"))) {
                throw new org.vestige.core.evidence.NotMemoryException(files.get(0), VolumeContents.notMemory(
                        files.get(0), resolver.contents()));
            }
            String primary = resolver.primaryImage().orElseThrow(() -> new EvidenceException(files.get(0),
                    "the volume holds no image, map or image stream"));
            Layer physical = resolver.stream(primary);
            List<OpenedEvidence.BackingFile> backing = new ArrayList<>();
            for (Aff4Resolver.Pagefile p : resolver.pagefiles()) {
                backing.add(new OpenedEvidence.BackingFile(p.slot(), p.name(), resolver.stream(p.urn())));
            }
            Map<String, String> properties = describe(resolver, primary, physical);
            VolumeContents.describeSet(set, properties);
            return new OpenedEvidence(ID, physical, backing, properties, List.of(resolver));
        } catch (EvidenceException | RuntimeException e) {
            try {
                resolver.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Map<String, String> describe(Aff4Resolver r, String primary, Layer physical) {
        Map<String, String> p = new LinkedHashMap<>();
        List<Aff4Resolver.Volume> volumes = r.volumes();
        p.put("volumes", volumes.stream().map(v -> v.file().getFileName() + " (" + v.urn() + ")")
                .collect(Collectors.joining(", ")));
        Map<String, String> version = volumes.get(0).version();
        if (!version.isEmpty()) {
            p.put("AFF4 version", version.getOrDefault("major", "?") + "." + version.getOrDefault("minor", "?"));
            if (version.containsKey("tool")) {
                p.put("tool", version.get("tool"));
            }
        }
        p.put("kind", r.isMemoryImage() ? "memory image" : "disk image");
        p.put("image", primary + " " + r.types(primary).stream().map(Aff4Lexicon::shortName).toList());
        p.put("size", String.format("%d bytes (0x%x)", physical.size(), physical.size()));
        if (physical instanceof MapStream m) {
            long mapped = 0;
            long gaps = 0;
            for (MapStream.Region region : m.regions()) {
                if (region.isGap()) {
                    gaps += region.length();
                } else {
                    mapped += region.length();
                }
            }
            p.put("map", m.urn());
            p.put("mapped", String.format("%d bytes in %d regions, %d bytes of gaps (read as %s)", mapped,
                    m.regions().size(), gaps, Aff4Lexicon.shortName(m.gapStream().urn())));
            for (MapStream.Target t : m.targets()) {
                if (t instanceof MapStream.StreamTarget st && st.layer() instanceof ImageStream is) {
                    p.put("stream " + is.urn(), String.format("%d bytes, %d-byte chunks, %d chunks a bevy, %s",
                            is.size(), is.chunkSize(), is.chunksPerSegment(),
                            is.codec() != null ? is.codec().name().toLowerCase() : "unsupported " + is.compressionUri()));
                }
            }
        }
        r.property(primary, Aff4Lexicon.AFF4 + "memoryInstalledSize").ifPresent(v -> p.put("memory installed", v));
        r.property(primary, Aff4Lexicon.AFF4 + "acquisitionCompletionState").ifPresent(v -> p.put("acquisition", v));
        List<Aff4Resolver.Pagefile> pagefiles = r.pagefiles();
        if (!pagefiles.isEmpty()) {
            p.put("pagefiles", pagefiles.stream().map(f -> f.name() + " (slot " + f.slot() + ")")
                    .collect(Collectors.joining(", ")));
        }
        List<String> problems = r.problems();
        if (!problems.isEmpty()) {
            p.put("problems", String.join("; ", problems));
        }
        return p;
    }
}
