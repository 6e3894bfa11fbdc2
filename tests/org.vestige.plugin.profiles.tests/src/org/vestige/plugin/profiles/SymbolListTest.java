package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * The shipped profiles keep only the kernel symbols in {@link IsfTrimmer#ROOT_SYMBOLS}: every symbol the
 * engine and the analyses look up must be on that list, or it would be found in a full symbol table and
 * missing from every shipped kernel. The test reads the sources of the engine, the layers, the registry
 * and the analysis bundles and collects every name passed to a {@code symbol(...)} lookup: a literal, a
 * constant (resolved across those sources, a {@code List.of} constant giving each of its names), or the
 * variable of a loop over such a list.
 */
public class SymbolListTest {

    private static final Pattern LITERAL = Pattern.compile("\\bsymbol\\(\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern CONSTANT = Pattern.compile("\\bsymbol\\(\\s*(?:[A-Z]\\w*\\.)?([A-Z][A-Z0-9_]+)\\s*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\bsymbol\\(\\s*([a-z]\\w*)\\s*\\)");
    private static final Pattern STRING = Pattern.compile("\"([^\"]+)\"");

    @Test
    public void everySymbolTheAnalysesLookUpIsKeptInTheShippedProfiles() throws IOException {
        Map<String, String> sources = sources();
        assertTrue("sources read: " + sources.size(), sources.size() > 100);
        Map<String, Set<String>> used = new TreeMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String text = e.getValue();
            find(LITERAL, text).forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add(e.getKey()));
            for (String constant : find(CONSTANT, text)) {
                List<String> names = constant(sources, constant);
                if (names.isEmpty()) {
                    fail(e.getKey() + " looks a symbol up by " + constant + ", which is not a string or List.of "
                            + "constant of the scanned sources");
                }
                names.forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add(e.getKey()));
            }
            for (String variable : find(VARIABLE, text)) {
                Matcher loop = Pattern.compile("for \\(String " + variable + " : (?:[A-Z]\\w*\\.)?(\\w+)\\)").matcher(
                        text);
                while (loop.find()) {
                    // the constant of the file itself when it declares one, else of whichever source does
                    List<String> own = constant(Map.of(e.getKey(), text), loop.group(1));
                    (own.isEmpty() ? constant(sources, loop.group(1)) : own).forEach(n -> used.computeIfAbsent(n,
                            k -> new TreeSet<>()).add(e.getKey()));
                    local(text, loop.group(1)).forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add(e
                            .getKey()));
                }
            }
        }
        for (String known : List.of("PsActiveProcessHead", "KdpDataBlockEncoded", "SmGlobals", "ObHeaderCookie",
                "CmpHiveListHead")) {
            assertTrue("the scan did not find the lookup of " + known + ": " + used.keySet(), used.containsKey(known));
        }
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(IsfTrimmer.ROOT_SYMBOLS);
        assertEquals("symbols looked up but not kept in the shipped profiles (add them to IsfTrimmer.ROOT_SYMBOLS "
                + "and regenerate the bundles)", Map.of(), missing);
    }

    /**
     * The tcpip.sys globals the engine reads ({@code TcpipSymbols}: the columns of org.vestige.windows's
     * {@code data/tcpip-symbols.txt}) are kept in the shipped tcpip profiles: each is on
     * {@link IsfTrimmer#TCPIP_SYMBOLS}.
     */
    @Test
    public void everyTcpipGlobalTheEngineReadsIsKeptInTheShippedTcpipProfiles() throws IOException {
        Path data = ProfileSupplementTest.repository("bundles/windows/org.vestige.windows").resolve(
                "data/tcpip-symbols.txt");
        String header = Files.readAllLines(data, StandardCharsets.UTF_8).stream().filter(l -> l.matches(
                "#\\s+identity\\s+family\\s.*")).findFirst().orElseThrow(() -> new AssertionError(data + " has no column header"));
        List<String> columns = List.of(header.substring(1).trim().split("\\s+"));
        List<String> globals = columns.subList(2, columns.size());
        assertTrue("the header's columns: " + columns, globals.contains("PartitionTable"));
        List<String> missing = new ArrayList<>(globals);
        missing.removeAll(IsfTrimmer.TCPIP_SYMBOLS);
        assertEquals("tcpip.sys globals read but not kept in the shipped tcpip profiles (add them to "
                + "IsfTrimmer.TCPIP_SYMBOLS and regenerate the bundles)", List.of(), missing);
        assertEquals(IsfTrimmer.TCPIP_SYMBOLS, IsfTrimmer.MODULE_SYMBOLS.get("tcpip.pdb"));
    }

    /** @return the names a constant of that name holds anywhere in the sources */
    private static List<String> constant(Map<String, String> sources, String name) {
        List<String> names = new ArrayList<>();
        Pattern single = Pattern.compile("\\b" + name + "\\s*=\\s*\"([^\"]+)\"\\s*;");
        Pattern list = Pattern.compile("\\b" + name + "\\s*=\\s*List\\.of\\(([^;]*)\\);");
        for (String text : sources.values()) {
            names.addAll(find(single, text));
            find(list, text).forEach(l -> names.addAll(find(STRING, l)));
        }
        return names;
    }

    /** @return the names of a local {@code List.of} variable of that name */
    private static List<String> local(String text, String name) {
        List<String> names = new ArrayList<>();
        find(Pattern.compile("\\b" + name + "\\s*=\\s*List\\.of\\(([^;]*)\\);"), text).forEach(l -> names.addAll(
                find(STRING, l)));
        return names;
    }

    private static List<String> find(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The Java sources of the engine, layers, registry and analysis bundles, by path. */
    private static Map<String, String> sources() throws IOException {
        Path root = ProfileSupplementTest.repository("bundles/core/org.vestige.core").getParent().getParent()
                .getParent();
        Map<String, String> out = new HashMap<>();
        for (String group : new String[] {"bundles/windows", "bundles/plugins", "bundles/registry",
            "bundles/layer"}) {
            try (Stream<Path> walk = Files.walk(root.resolve(group))) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/"))
                        .toList()) {
                    out.put(root.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
