package org.vestige.plugin.profiles.pdb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What LLVM's independent PDB reader, {@code llvm-pdbutil dump -summary -types -publics -section-headers},
 * says about a PDB: identity, structure/class/union records with their sizes, field lists' data
 * members, public symbols and section addresses, parsed from its text output.
 */
public final class LlvmPdbDump {

    record Aggregate(String leaf, String name, boolean forward, long size, int fieldList) {
    }

    record Member(String name, long offset) {
    }

    record Public(String name, int segment, long offset) {
    }

    String guid;
    long age;
    final Map<Integer, Aggregate> aggregates = new LinkedHashMap<>();
    final Map<Integer, List<Member>> fieldLists = new LinkedHashMap<>();
    final List<Public> publics = new ArrayList<>();
    final List<Long> sectionAddresses = new ArrayList<>();

    private static final Pattern RECORD = Pattern.compile("^\\s+0x([0-9A-F]+) \\| (\\S+) \\[size = \\d+\\]( `(.*)`)?$");
    private static final Pattern MEMBER = Pattern.compile(
            "^\\s+- LF_MEMBER \\[name = `(.*)`, Type = .*, offset = (\\d+), attrs = .*\\]$");
    private static final Pattern FIELD_LIST = Pattern.compile("field list: (0x[0-9A-F]+|<no type>)");
    private static final Pattern SIZEOF = Pattern.compile("^\\s+options: (.*), sizeof (\\d+)$");
    private static final Pattern PUBLIC = Pattern.compile("^\\s+\\d+ \\| S_PUB32 \\[size = \\d+\\] `(.*)`$");
    /** llvm-pdbutil writes the segment and the offset in decimal. */
    private static final Pattern ADDR = Pattern.compile("addr = ([0-9]{4}):([0-9]+)$");
    private static final Pattern VA = Pattern.compile("^\\s+([0-9A-F]+) virtual address$");

    /** @return the llvm-pdbutil on the PATH (any version suffix), or null */
    public static String tool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File[] found = new File(dir).listFiles((d, n) -> n.matches("llvm-pdbutil(-\\d+)?"));
            if (found != null && found.length > 0) {
                return found[0].getPath();
            }
        }
        return null;
    }

    public static LlvmPdbDump run(String tool, Path pdb) throws IOException, InterruptedException {
        Path out = Files.createTempFile("llvm-pdbutil", ".txt");
        try {
            Process p = new ProcessBuilder(tool, "dump", "-summary", "-types", "-publics", "-section-headers", pdb
                    .toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish on " + pdb);
            }
            return parse(Files.readAllLines(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The size and data-member offsets of a named structure, class or union. */
    public record Layout(long size, Map<String, Long> offsets) {
    }

    /**
     * @return the first definition of every named structure, class and union (anonymous ones, which
     *         an ISF names by type index, left out), with its members' offsets (first of a name wins)
     */
    public Map<String, Layout> namedLayouts() {
        Map<String, Layout> out = new LinkedHashMap<>();
        for (Aggregate a : aggregates.values()) {
            if (a.forward() || a.name() == null || TypeStream.anonymous(a.name()) || out.containsKey(a.name())) {
                continue;
            }
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (Member m : fieldLists.getOrDefault(a.fieldList(), List.of())) {
                offsets.putIfAbsent(m.name(), m.offset());
            }
            out.put(a.name(), new Layout(a.size(), offsets));
        }
        return out;
    }

    static LlvmPdbDump parse(List<String> lines) {
        LlvmPdbDump d = new LlvmPdbDump();
        String leaf = null;
        int index = 0;
        String name = null;
        int fieldList = 0;
        for (String line : lines) {
            Matcher m;
            if (line.startsWith("  GUID: ")) {
                d.guid = line.substring(8).trim();
            } else if (line.startsWith("  Age: ")) {
                d.age = Long.parseLong(line.substring(7).trim());
            } else if ((m = RECORD.matcher(line)).matches()) {
                leaf = m.group(2);
                index = Integer.parseInt(m.group(1), 16);
                name = m.group(4);
                fieldList = 0;
                if (leaf.equals("LF_FIELDLIST")) {
                    d.fieldLists.put(index, new ArrayList<>());
                }
            } else if ((m = MEMBER.matcher(line)).matches() && "LF_FIELDLIST".equals(leaf)) {
                d.fieldLists.get(index).add(new Member(m.group(1), Long.parseLong(m.group(2))));
            } else if ((m = FIELD_LIST.matcher(line)).find() && leaf != null && leaf.matches(
                    "LF_(STRUCTURE|CLASS|UNION)")) {
                fieldList = m.group(1).startsWith("0x") ? Integer.parseInt(m.group(1).substring(2), 16) : 0;
            } else if ((m = SIZEOF.matcher(line)).matches() && leaf != null && leaf.matches(
                    "LF_(STRUCTURE|CLASS|UNION)")) {
                d.aggregates.put(index, new Aggregate(leaf, name, m.group(1).contains("forward ref"), Long.parseLong(m
                        .group(2)), fieldList));
            } else if ((m = PUBLIC.matcher(line)).matches()) {
                name = m.group(1);
                leaf = "S_PUB32";
            } else if ((m = ADDR.matcher(line)).find() && "S_PUB32".equals(leaf)) {
                d.publics.add(new Public(name, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                leaf = null;
            } else if ((m = VA.matcher(line)).matches()) {
                d.sectionAddresses.add(Long.parseLong(m.group(1), 16));
            }
        }
        return d;
    }
}
