package org.vestige.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.vestige.core.types.LayoutTable;

/**
 * What is normal for the processes every Windows machine runs — the process that starts each and how many
 * run at once — and the check of a process list against it. The rules are data, in
 * {@code data/system-processes.txt} of this bundle, with their public sources named there.
 *
 * @param name      the image name the rule is for
 * @param parents   the image names of the processes that start it (empty for a process with no parent)
 * @param exited    true when its parent is a short-lived smss.exe instance that has exited
 * @param single    true when exactly one runs
 * @param source    the source tags of the rule in the data file
 * @since 0.1
 */
public record SystemProcessRules(String name, Set<String> parents, boolean exited, boolean single, String source) {

    private static final String RESOURCE = "data/system-processes.txt";
    private static final String SMSS = "smss.exe";
    private static volatile Map<String, SystemProcessRules> table;

    /** @return every rule, by image name in lower case */
    public static Map<String, SystemProcessRules> all() {
        Map<String, SystemProcessRules> t = table;
        if (t == null) {
            t = parse(LayoutTable.read(SystemProcessRules.class, RESOURCE));
            table = t;
        }
        return t;
    }

    /**
     * Parses the table: one rule per line, {@code #} comments.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static Map<String, SystemProcessRules> parse(String text) {
        Map<String, SystemProcessRules> rules = new HashMap<>();
        for (LayoutTable.Row row : LayoutTable.rows(text, RESOURCE, 4)) {
            String parents = row.field(1);
            String instances = row.field(2);
            if (!instances.equals("1") && !instances.equals("*")) {
                throw LayoutTable.malformed(RESOURCE, row, new IllegalArgumentException("instances are 1 or *, not "
                        + instances));
            }
            Set<String> names = parents.equals("none") || parents.equals("exited") ? Set.of()
                    : Set.of(parents.toLowerCase(Locale.ROOT).split(","));
            rules.put(row.field(0).toLowerCase(Locale.ROOT), new SystemProcessRules(row.field(0), names, parents.equals(
                    "exited"), instances.equals("1"), row.field(3)));
        }
        return Map.copyOf(rules);
    }

    /**
     * Checks running processes against the rules: a process of a system name whose running parent is not one
     * that starts it, and a name that runs once running several times. A parent pid whose process was created
     * after the child belongs to a later process that reused the pid: the real parent has exited.
     *
     * @param processes the processes of the active list (exited ones are ignored)
     * @return what breaks the rules, in list order
     */
    public static List<Finding> check(List<WinProcess> processes) {
        Map<String, SystemProcessRules> rules = all();
        List<WinProcess> running = processes.stream().filter(p -> p.exitTime() == null).toList();
        Map<Long, WinProcess> byPid = new HashMap<>();
        running.forEach(p -> byPid.putIfAbsent(p.pid(), p));
        List<Finding> out = new ArrayList<>();
        for (WinProcess p : running) {
            SystemProcessRules rule = rules.get(p.name().toLowerCase(Locale.ROOT));
            if (rule == null) {
                continue;
            }
            WinProcess parent = byPid.get(p.ppid());
            if (parent != null && parent != p && p.createTime() != null && parent.createTime() != null && parent
                    .createTime().isAfter(p.createTime())) {
                parent = null; // the pid was reused after the parent exited
            }
            String expected = rule.expectedParent();
            if (!rule.accepts(p, parent)) {
                out.add(new Finding(Finding.Kind.UNEXPECTED_PARENT, Finding.Severity.HIGH, p, p.eprocess(), String
                        .format("parent %s; expected %s %s", parent == null ? "pid " + p.ppid() + " (not running)"
                                : parent.name() + " (pid " + parent.pid() + ")", expected, rule.source())));
            }
        }
        Map<String, List<WinProcess>> byName = running.stream().collect(Collectors.groupingBy(p -> p.name()
                .toLowerCase(Locale.ROOT)));
        for (Map.Entry<String, List<WinProcess>> e : byName.entrySet()) {
            SystemProcessRules rule = rules.get(e.getKey());
            if (rule != null && rule.single && e.getValue().size() > 1) {
                for (WinProcess p : e.getValue()) {
                    out.add(new Finding(Finding.Kind.UNEXPECTED_INSTANCES, Finding.Severity.MEDIUM, p, p.eprocess(),
                            String.format("%d instances of %s running (pids %s); one expected %s", e.getValue().size(),
                                    rule.name, e.getValue().stream().map(q -> Long.toString(q.pid())).collect(
                                            Collectors.joining(", ")), rule.source)));
                }
            }
        }
        return out;
    }

    private boolean accepts(WinProcess p, WinProcess parent) {
        if (parents.isEmpty() && !exited) {
            return p.ppid() == 0 || parent == null;
        }
        if (exited) {
            return parent == null || parent.name().equalsIgnoreCase(SMSS);
        }
        return parent != null && parents.contains(parent.name().toLowerCase(Locale.ROOT));
    }

    private String expectedParent() {
        if (exited) {
            return "an smss.exe instance that has exited";
        }
        return parents.isEmpty() ? "none" : String.join(" or ", parents.stream().sorted().toList());
    }
}
