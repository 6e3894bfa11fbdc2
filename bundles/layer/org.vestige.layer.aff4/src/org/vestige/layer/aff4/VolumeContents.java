package org.vestige.layer.aff4;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What an AFF4 set holds and how it was assembled, in the analyst's words, for messages and evidence.info. */
final class VolumeContents {

    /** The most entries a message lists; the rest are counted. */
    static final int LISTED = 50;

    private VolumeContents() {
    }

    /**
     * @return why a volume of logical files is not memory to analyse: what it holds, with names and sizes, and how
     *         to copy a stream out
     */
    static String notMemory(Path volume, List<Aff4Resolver.Content> contents) {
        long files = contents.stream().filter(c -> c.kind().equals("aff4:FileImage")).count();
        StringBuilder sb = new StringBuilder("not a memory image: the AFF4 volume holds " + files
                + " logical file(s) and no memory image, disk image or map. It holds:");
        for (int i = 0; i < Math.min(LISTED, contents.size()); i++) {
            Aff4Resolver.Content c = contents.get(i);
            sb.append("\n  ").append(c.name().isEmpty() ? c.urn() : c.name()).append(" (")
                    .append(c.size() >= 0 ? c.size() + " bytes" : "size not recorded").append(", ")
                    .append(c.kind()).append(", ").append(c.urn()).append(')');
        }
        if (contents.size() > LISTED) {
            sb.append("\n  … and ").append(contents.size() - LISTED).append(" more");
        }
        sb.append("\nTo copy one out: vestige aff4.export --volume ").append(volume).append(" --stream NAME (a name "
                + "or URN above)");
        return sb.toString();
    }

    /** Adds to {@code properties} how the set was assembled: volumes found beside the first, volumes missing. */
    static void describeSet(Aff4VolumeSet set, Map<String, String> properties) {
        if (set.given().size() > 1) {
            properties.put("volumes given", set.given().stream().map(p -> p.getFileName().toString())
                    .collect(Collectors.joining(", ")));
        }
        if (!set.foundBeside().isEmpty()) {
            properties.put("volumes found beside the first", set.foundBeside().stream().map(p -> p.getFileName()
                    .toString()).collect(Collectors.joining(", ")));
        }
        List<Aff4Resolver.MissingVolume> missing = set.resolver().missingVolumes();
        if (!missing.isEmpty()) {
            properties.put("volumes missing", missing.stream().map(VolumeContents::describe).collect(Collectors
                    .joining("; ")));
        }
    }

    /** @return e.g. {@code aff4://51725cd9-… (file Base-Linear_2.aff4; holds 3 streams the set needs)} */
    static String describe(Aff4Resolver.MissingVolume m) {
        String who = m.urn().isEmpty() ? "a volume the metadata does not name" : m.urn();
        return who + " (" + (m.file().isEmpty() ? "file name not recorded" : "file " + m.file()) + "; "
                + m.streams().size() + " object(s) stored in it: " + m.streams().stream().limit(4).collect(
                        Collectors.joining(", ")) + (m.streams().size() > 4 ? ", …" : "") + ")";
    }
}
