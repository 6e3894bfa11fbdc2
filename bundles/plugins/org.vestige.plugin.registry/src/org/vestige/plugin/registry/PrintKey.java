package org.vestige.plugin.registry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.TimeMeaning;
import org.vestige.registry.DecodedValue;
import org.vestige.registry.HiveDataMissingException;
import org.vestige.registry.HiveException;
import org.vestige.registry.HiveProblem;
import org.vestige.registry.HiveVisitor;
import org.vestige.registry.RegistryKey;
import org.vestige.registry.RegistryValue;
import org.vestige.registry.WalkSummary;

/**
 * {@code windows.registry.printkey}: a key, its values and its subkeys as a tree; with
 * {@code --recurse} the whole subtree. Reads the {@code --hive} files, or every hive loaded in the
 * memory image (one with {@code --offset}); cells that cannot be read are reported with their pages
 * and the walk goes on.
 */
public final class PrintKey implements Analysis {

    public static final Column<String> HIVE = Column.string("Hive").subject();
    public static final Column<String> KEY = Column.string("Key").subject();
    public static final Column<Instant> LAST_WRITE = Column.time("LastWrite", TimeMeaning.LAST_WRITTEN);
    public static final Column<String> VALUE = Column.string("Value");
    public static final Column<String> TYPE = Column.string("Type");
    public static final Column<String> DATA = Column.string("Data");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        ResultTable table = ResultTable.of(HIVE, KEY, LAST_WRITE, VALUE, TYPE, DATA);
        AnalysisResult result = new AnalysisResult(context.plugin().id(), table);
        String keyPath = context.options().string("key").orElse("");
        boolean recurse = context.options().flag("recurse");
        long only = context.options().has("offset") ? context.options().number("offset").orElse(0L) : 0;
        try (Hives hives = Hives.open(context, only)) {
            result.addAll(hives.notes());
            int found = 0;
            for (Hives.Named h : hives.all()) {
                String hiveName = h.name();
                String subject = h.label();
                boolean[] missing = {false};
                for (HiveProblem p : h.hive().openProblems()) {
                    result.add(problem(subject, p));
                    missing[0] |= p.kind() == HiveProblem.Kind.MISSING;
                }
                RegistryKey start;
                try {
                    start = keyPath.isEmpty() ? h.hive().root() : h.hive().findKey(keyPath).orElse(null);
                } catch (HiveDataMissingException e) {
                    result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "cannot read key " + (keyPath
                            .isEmpty() ? "(root)" : keyPath) + ": " + e.getMessage()));
                    pages(result, h);
                    continue;
                } catch (RuntimeException e) {
                    result.add(new Diagnostic(Diagnostic.Severity.ERROR, subject, "cannot read key " + keyPath
                            + ": " + e.getMessage()));
                    continue;
                }
                if (start == null) {
                    if (!hives.inMemory()) {
                        result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "no key " + keyPath));
                    }
                    continue;
                }
                found++;
                Deque<Row> stack = new ArrayDeque<>();
                WalkSummary summary = h.hive().walk(start, new HiveVisitor() {
                    @Override
                    public boolean key(String path, RegistryKey key, int depth) {
                        while (stack.size() > depth) {
                            stack.pop();
                        }
                        Row row = stack.isEmpty() ? table.addRow() : stack.peek().addChild();
                        String full = keyPath.isEmpty() ? path : path.isEmpty() ? keyPath : keyPath + "\\" + path;
                        row.set(HIVE, hiveName).set(KEY, full.isEmpty() ? key.name() : full).set(LAST_WRITE, key
                                .lastWritten());
                        stack.push(row);
                        return depth == 0 || recurse;
                    }

                    @Override
                    public void value(String path, RegistryKey key, RegistryValue value) {
                        Row row = stack.peek().addChild().set(HIVE, hiveName).set(VALUE, value.isDefault()
                                ? "(default)" : value.name()).set(TYPE, value.typeName());
                        try {
                            row.set(DATA, display(value.decode()));
                        } catch (RuntimeException e) {
                            row.missing(DATA, e.getMessage());
                        }
                    }

                    @Override
                    public void problem(HiveProblem problem) {
                        result.add(PrintKey.problem(subject, problem));
                        missing[0] |= problem.kind() == HiveProblem.Kind.MISSING;
                    }

                    @Override
                    public boolean stopRequested() {
                        return monitor.isCanceled();
                    }
                });
                if (summary.stopped() && monitor.isCanceled()) {
                    throw new OperationCanceledException();
                }
                if (missing[0]) {
                    pages(result, h);
                }
            }
            if (hives.inMemory() && found == 0 && !keyPath.isEmpty()) {
                result.add(new Diagnostic(Diagnostic.Severity.WARNING, "hive list", "no loaded hive has a key "
                        + keyPath + " (or every hive that may have it is unreadable there)"));
            }
            if (found == 0) {
                result.outcome(AnalysisResult.Outcome.NOTHING_READ);
            }
        }
        return result;
    }

    /** Names the unreadable pages of a hive in memory once, after the problems they caused. */
    private static void pages(AnalysisResult result, Hives.Named hive) {
        String pages = hive.unreadablePages();
        if (!pages.isEmpty()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, hive.label(), pages));
        }
    }

    /**
     * A hive problem as a diagnostic: damaged cells are errors, bytes that are not there warnings; a problem of
     * the base block (no cell: a checksum, the sequence numbers of a dirty hive) names the base block and is a
     * warning, since the read goes on.
     */
    static Diagnostic problem(String hive, HiveProblem p) {
        boolean baseBlock = p.cellOffset() == HiveException.NO_CELL;
        Diagnostic.Severity severity = baseBlock || p.kind() == HiveProblem.Kind.MISSING
                ? Diagnostic.Severity.WARNING : Diagnostic.Severity.ERROR;
        String where = baseBlock ? " base block" : " cell 0x" + Long.toHexString(p.cellOffset());
        return new Diagnostic(severity, hive + where + (p.keyPath() == null || p.keyPath().isEmpty() ? ""
                : " (" + p.keyPath() + ")"), p.message());
    }

    static String display(DecodedValue v) {
        return switch (v) {
            case DecodedValue.None n -> "";
            case DecodedValue.Text t -> t.text();
            case DecodedValue.MultiText m -> String.join(" | ", m.strings());
            case DecodedValue.Number n -> n.value() + " (0x" + Long.toHexString(n.value()) + ")";
            case DecodedValue.Binary b -> hex(b.bytes());
        };
    }

    private static String hex(byte[] bytes) {
        String h = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64));
        return bytes.length > 64 ? h + "… (" + bytes.length + " bytes)" : h;
    }

}
