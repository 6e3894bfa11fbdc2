package org.vestige.layer.aff4;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.layer.aff4.internal.ZipContainer;
import org.vestige.layer.aff4.internal.ZipMember;

/**
 * The volumes of one AFF4 evidence set, assembled from the files the analyst gave and those found beside the first:
 * when the given volumes need streams stored in a volume that is not among them (a map whose data lies in another
 * volume, an object the metadata says another volume stores), the first volume's folder is searched for AFF4 volumes
 * whose URN is the one named, or that hold the streams needed, and they are opened with the rest. What is still
 * missing afterwards is named by {@link Aff4Resolver#missingVolumes()}, and its ranges read as
 * {@link org.vestige.core.layer.MissingCause.OtherVolume}.
 *
 * @param resolver    the opened volumes
 * @param given       the files the analyst gave, in order
 * @param foundBeside the volumes of the set found in the first one's folder, in the order they were added
 * @since 0.1
 */
public record Aff4VolumeSet(Aff4Resolver resolver, List<Path> given, List<Path> foundBeside) {

    /** The most files of a folder looked at for the other volumes of a set. */
    static final int MAX_CANDIDATES = 1024;

    /** Rounds of searching: a volume found may itself refer to one more. */
    private static final int MAX_ROUNDS = 8;

    public Aff4VolumeSet {
        given = List.copyOf(given);
        foundBeside = List.copyOf(foundBeside);
    }

    /**
     * Opens the given volumes, then adds the volumes of the same set found beside the first.
     *
     * @throws EvidenceException when a given file is not a readable AFF4 volume
     */
    public static Aff4VolumeSet open(List<Path> files, Aff4Options options) throws EvidenceException {
        List<Path> all = new ArrayList<>(files);
        List<Path> beside = new ArrayList<>();
        Aff4Resolver resolver = Aff4Resolver.open(all, options);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Aff4Resolver.MissingVolume> missing = missing(resolver);
            List<Path> found = missing.isEmpty() ? List.of() : findBeside(files.get(0), all, resolver.volumes()
                    .stream().map(Aff4Resolver.Volume::urn).toList(), missing);
            if (found.isEmpty()) {
                break;
            }
            all.addAll(found);
            beside.addAll(found);
            closeQuietly(resolver);
            resolver = Aff4Resolver.open(all, options);
        }
        return new Aff4VolumeSet(resolver, files, beside);
    }

    /** @return the volumes missing once the primary image (and so its maps) has been looked at */
    private static List<Aff4Resolver.MissingVolume> missing(Aff4Resolver resolver) {
        resolver.primaryImage().ifPresent(p -> {
            try {
                resolver.stream(p);
            } catch (EvidenceException e) {
                // the format reports it when it opens the image; here only the maps' missing targets matter
            }
        });
        return resolver.missingVolumes();
    }

    /**
     * @return the AFF4 volumes in {@code first}'s folder, not already opened (by path or, for copies, by URN),
     *         whose URN is that of a missing volume or that hold a stream a missing volume should hold
     */
    static List<Path> findBeside(Path first, List<Path> opened, List<String> openedUrns,
            List<Aff4Resolver.MissingVolume> missing) {
        Path folder = first.toAbsolutePath().getParent();
        if (folder == null) {
            return List.of();
        }
        Set<Path> known = new HashSet<>();
        opened.forEach(p -> known.add(canonical(p)));
        Set<String> volumes = new HashSet<>();
        Set<String> streams = new HashSet<>();
        for (Aff4Resolver.MissingVolume m : missing) {
            if (!m.urn().isEmpty()) {
                volumes.add(m.urn());
            }
            streams.addAll(m.streams());
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.{aff4,af4,AFF4,AF4}")) {
            int looked = 0;
            for (Path candidate : dir) {
                if (++looked > MAX_CANDIDATES) {
                    break;
                }
                if (Files.isRegularFile(candidate) && !known.contains(canonical(candidate))
                        && belongs(candidate, openedUrns, volumes, streams)) {
                    found.add(candidate);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable folder finds nothing; the missing volumes are named all the same
        }
        found.sort(null);
        return found;
    }

    private static boolean belongs(Path candidate, List<String> openedUrns, Set<String> volumes,
            Set<String> streams) {
        try (ZipContainer zip = ZipContainer.open(candidate)) {
            String urn = Aff4Resolver.volumeUrn(zip);
            if (urn != null && openedUrns.contains(urn)) {
                return false; // a copy of a volume already opened, not another volume of the set
            }
            if (urn != null && volumes.contains(urn)) {
                return true;
            }
            for (ZipMember m : zip.members()) {
                String member = Aff4Resolver.urnOfMember(m.name(), urn != null ? urn : "aff4://unnamed-volume");
                if (streams.stream().anyMatch(s -> member.equals(s) || member.startsWith(s + "/"))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // not a readable volume: not one of the set
        }
    }

    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static void closeQuietly(Aff4Resolver r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // reopened with the volumes found; the old handles are only released
        }
    }
}
