package org.vestige.render.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.sqlite.JDBC;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.render.CaseRecord;
import org.vestige.core.render.CaseWriter;
import org.vestige.core.render.CellFormat;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;

/**
 * Writes a case into a new SQLite database. Besides one table per analysis (see {@link SqlTable}):
 * <ul>
 * <li>{@code analyses(id, plugin, result_table, outcome, row_count, written_at, options)}: every analysis run,
 * with the options it ran with as a command line gives them;</li>
 * <li>{@code result_columns(result_table, position, name, type, time_meaning)}: each result column's type
 * in the result model, and what its times mean when they go on the timeline;</li>
 * <li>{@code diagnostics(analysis, severity, subject, message)} and
 * {@code output_files(analysis, path, size, sha256, description)};</li>
 * <li>{@code evidence(role, path, size, modified, opened_at, md5, sha1, sha256, hashed_at, digest_origin)}:
 * each evidence file and when and how it was opened and hashed;</li>
 * <li>{@code case_facts(name, value)}: what the engines found out (the kernel, the profile), the command
 * and when it started.</li>
 * </ul>
 * Each analysis is written in one transaction, so a run killed midway leaves none of it; a later run
 * {@linkplain #extend(Path) extends} the file, and {@link #completed()} names what it holds.
 * Addresses are stored as 64-bit integers (two's complement above 2^63: {@code printf('0x%x', "Offset(V)")}
 * shows them as the other formats do), times as ISO-8601 UTC text, booleans as 0 and 1.
 */
final class SqliteCaseWriter implements CaseWriter {

    private static final String SCHEMA = """
            CREATE TABLE analyses (id INTEGER PRIMARY KEY, plugin TEXT NOT NULL, result_table TEXT NOT NULL,
                outcome TEXT NOT NULL, row_count INTEGER NOT NULL, written_at TEXT NOT NULL, options TEXT);
            CREATE TABLE result_columns (result_table TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL,
                type TEXT NOT NULL, time_meaning TEXT);
            CREATE TABLE diagnostics (analysis INTEGER NOT NULL REFERENCES analyses(id), severity TEXT NOT NULL,
                subject TEXT NOT NULL, message TEXT NOT NULL);
            CREATE TABLE output_files (analysis INTEGER NOT NULL REFERENCES analyses(id), path TEXT NOT NULL,
                size INTEGER NOT NULL, sha256 TEXT NOT NULL, description TEXT NOT NULL);
            CREATE TABLE evidence (role TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, modified TEXT,
                opened_at TEXT NOT NULL, md5 TEXT, sha1 TEXT, sha256 TEXT, hashed_at TEXT, digest_origin TEXT NOT NULL);
            CREATE TABLE case_facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """;

    private final Connection db;
    private final Set<String> tableNames = new HashSet<>();
    private int analyses;

    private SqliteCaseWriter(Connection db) {
        this.db = db;
    }

    /**
     * Opens a case database written before, to add results to it: the names of its tables are taken, and
     * analyses are numbered on from its last.
     */
    static SqliteCaseWriter extend(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is no file to add to");
        }
        try {
            Connection c = JDBC.createConnection("jdbc:sqlite:" + file.toAbsolutePath(), new Properties());
            SqliteCaseWriter w = new SqliteCaseWriter(c);
            try (Statement s = c.createStatement(); ResultSet names = s.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (names.next()) {
                    w.tableNames.add(names.getString(1));
                }
            }
            if (!w.tableNames.containsAll(List.of("analyses", "case_facts"))) {
                c.close();
                throw new IOException(file + " is not a Vestige case database (it has no analyses table)");
            }
            try (Statement s = c.createStatement(); ResultSet last = s.executeQuery(
                    "SELECT coalesce(max(id), 0) FROM analyses")) {
                w.analyses = last.next() ? last.getInt(1) : 0;
            }
            try (Statement s = c.createStatement(); ResultSet options = s.executeQuery(
                    "SELECT count(*) FROM pragma_table_info('analyses') WHERE name = 'options'")) {
                if (options.next() && options.getInt(1) == 0) {
                    s.execute("ALTER TABLE analyses ADD COLUMN options TEXT"); // a file from before options
                }
            }
            c.setAutoCommit(false);
            return w;
        } catch (SQLException e) {
            throw new IOException("cannot open the SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    static SqliteCaseWriter create(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new IOException(file + " exists; a case database is written to a new file");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Connection c = JDBC.createConnection("jdbc:sqlite:" + file.toAbsolutePath(), new Properties());
            try (Statement s = c.createStatement()) {
                for (String statement : SCHEMA.split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
            c.setAutoCommit(false);
            return new SqliteCaseWriter(c);
        } catch (SQLException e) {
            throw new IOException("cannot create the SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void add(AnalysisResult result) throws IOException {
        add(result, null);
    }

    @Override
    public void add(AnalysisResult result, String options) throws IOException {
        try {
            SqlTable table = new SqlTable(uniqueName(SqlTable.nameFor(result.pluginId())), result.table()
                    .columns());
            int id = ++analyses;
            try (Statement s = db.createStatement()) {
                s.execute(table.createStatement());
            }
            insert("INSERT INTO analyses VALUES (?, ?, ?, ?, ?, ?, ?)", id, result.pluginId(), table.name(), result
                    .outcome().name().toLowerCase(java.util.Locale.ROOT), (long) result.table().rowCount(),
                    Instant.now().toString(), options);
            describeColumns(table);
            writeRows(table, result);
            for (Diagnostic d : result.diagnostics()) {
                insert("INSERT INTO diagnostics VALUES (?, ?, ?, ?)", id, d.severity().name().toLowerCase(
                        java.util.Locale.ROOT), d.subject(), d.message());
            }
            for (OutputFile f : result.files()) {
                insert("INSERT INTO output_files VALUES (?, ?, ?, ?, ?)", id, f.path().toString(), f.size(), f
                        .sha256(), f.description());
            }
            db.commit();
        } catch (SQLException e) {
            rollback(result.pluginId());
            throw new IOException("cannot write " + result.pluginId() + " to the SQLite database: " + e.getMessage(),
                    e);
        }
    }

    /** Undoes the part of an analysis written before a failure, so the file holds all of it or none. */
    private void rollback(String pluginId) throws IOException {
        try {
            db.rollback();
            analyses--;
        } catch (SQLException e) {
            throw new IOException("cannot undo the part of " + pluginId + " written: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Run> completed() throws IOException {
        List<Run> runs = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                "SELECT plugin, coalesce(options, '') FROM analyses ORDER BY id")) {
            while (r.next()) {
                runs.add(new Run(r.getString(1), r.getString(2)));
            }
            return runs;
        } catch (SQLException e) {
            throw new IOException("cannot read the analyses of the SQLite database: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Path> evidence() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT role, path FROM evidence")) {
            while (r.next()) {
                files.put(r.getString(1), Path.of(r.getString(2)));
            }
            return files;
        } catch (SQLException e) {
            throw new IOException("cannot read the evidence of the SQLite database: " + e.getMessage(), e);
        }
    }

    @Override
    public void finish(CaseRecord record) throws IOException {
        try {
            for (Map.Entry<String, EvidenceRecord> e : record.evidence().entrySet()) {
                EvidenceRecord r = e.getValue();
                insert("INSERT OR REPLACE INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.getKey(), r.path().toString(),
                        r.size(), text(r.modified()), text(r.openedAt()), r.digests() == null ? null : r.digests()
                                .md5(), r.digests() == null ? null : r.digests().sha1(), r.digests() == null ? null
                                        : r.digests().sha256(), text(r.hashedAt()), r.digestOrigin());
            }
            for (Map.Entry<String, String> f : record.facts().entrySet()) {
                insert("INSERT OR REPLACE INTO case_facts VALUES (?, ?)", f.getKey(), f.getValue());
            }
            insert("INSERT OR REPLACE INTO case_facts VALUES (?, ?)", "command", String.join(" ", record.command()));
            insert("INSERT OR REPLACE INTO case_facts VALUES (?, ?)", "started", record.started().toString());
            db.commit();
        } catch (SQLException e) {
            throw new IOException("cannot write the case to the SQLite database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            db.commit();
            db.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the SQLite database: " + e.getMessage(), e);
        }
    }

    private String uniqueName(String base) {
        String name = base;
        for (int n = 2; !tableNames.add(name) || reserved(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    private static boolean reserved(String name) {
        return List.of("analyses", "result_columns", "diagnostics", "output_files", "evidence", "case_facts")
                .contains(name);
    }

    private void describeColumns(SqlTable table) throws SQLException {
        List<Column<?>> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            Column<?> c = columns.get(i);
            insert("INSERT INTO result_columns VALUES (?, ?, ?, ?, ?)", table.name(), (long) i, c.name(), c.type()
                    .id(), c.timeMeaning().map(m -> m.id()).orElse(null));
        }
    }

    /** Writes every row depth-first, numbering them from 1, each nested row naming its parent. */
    private void writeRows(SqlTable table, AnalysisResult result) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(table.insertStatement())) {
            long[] next = {1};
            for (Row row : result.table().rows()) {
                writeRow(insert, table.columns(), row, null, next);
            }
            insert.executeBatch();
        }
    }

    private static void writeRow(PreparedStatement insert, List<Column<?>> columns, Row row, Long parent,
            long[] next) throws SQLException {
        long id = next[0]++;
        insert.setLong(1, id);
        if (parent == null) {
            insert.setNull(2, Types.INTEGER);
        } else {
            insert.setLong(2, parent);
        }
        for (int i = 0; i < columns.size(); i++) {
            bind(insert, 3 + 2 * i, columns.get(i), row.cell(i));
        }
        insert.addBatch();
        for (Row child : row.children()) {
            writeRow(insert, columns, child, id, next);
        }
    }

    /** Binds a cell's value at {@code at} and why it is missing at {@code at + 1}. */
    private static void bind(PreparedStatement insert, int at, Column<?> column, Object cell) throws SQLException {
        if (cell instanceof Unavailable u) {
            insert.setNull(at, Types.NULL);
            if (CellFormat.notApplicable(u)) {
                insert.setNull(at + 1, Types.VARCHAR);
            } else {
                insert.setString(at + 1, CellFormat.reason(u, org.vestige.core.render.MissingHint.NONE));
            }
            return;
        }
        insert.setNull(at + 1, Types.VARCHAR);
        switch (column.type()) {
            case ADDRESS, INTEGER, PID, SIZE -> insert.setLong(at, (Long) cell);
            case BOOLEAN -> insert.setLong(at, Boolean.TRUE.equals(cell) ? 1 : 0);
            case BYTES -> insert.setBytes(at, (byte[]) cell);
            default -> insert.setString(at, CellFormat.text(column.type(), cell));
        }
    }

    private void insert(String sql, Object... values) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]);
            }
            p.executeUpdate();
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
