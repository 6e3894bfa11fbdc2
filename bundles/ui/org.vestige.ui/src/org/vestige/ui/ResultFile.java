package org.vestige.ui;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ColumnType;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.OutputFile;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.TimeMeaning;

/**
 * An analysis result kept in a file, whole: its columns with their types, every row at every depth with
 * its typed cells (a missing value with its typed cause, a page's provenance), the diagnostics, the files it
 * wrote and its outcome, so a result reopened is the result the analysis returned. Cells that are records
 * of the core (causes, provenances) are written by their components, and only core records are read back.
 *
 * @since 0.1
 */
public final class ResultFile {

    private static final int MAGIC = 0x56524553; // "VRES"
    private static final int VERSION = 1;
    private static final String CORE = "org.vestige.core.";

    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int INT = 2;
    private static final int STRING = 3;
    private static final int BOOLEAN = 4;
    private static final int INSTANT = 5;
    private static final int BYTES = 6;
    private static final int RECORD = 7;

    private ResultFile() {
    }

    /** Writes a result to a file (replacing it). */
    public static void write(AnalysisResult result, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(result.pluginId());
            out.writeUTF(result.outcome().name());
            List<Column<?>> columns = result.table().columns();
            out.writeInt(columns.size());
            for (Column<?> c : columns) {
                out.writeUTF(c.name());
                out.writeUTF(c.type().name());
                out.writeUTF(c.timeMeaning().map(Enum::name).orElse(""));
                out.writeBoolean(c.isSubject());
            }
            writeRows(out, result.table().rows(), columns.size());
            out.writeInt(result.diagnostics().size());
            for (Diagnostic d : result.diagnostics()) {
                out.writeUTF(d.severity().name());
                writeText(out, d.subject());
                writeText(out, d.message());
            }
            out.writeInt(result.files().size());
            for (OutputFile f : result.files()) {
                writeText(out, f.path().toString());
                out.writeLong(f.size());
                out.writeUTF(f.sha256());
                writeText(out, f.description());
            }
        }
    }

    /**
     * Reads a result written by {@link #write}.
     *
     * @throws IOException when the file cannot be read or is no result file
     */
    public static AnalysisResult read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a result file of this version");
            }
            String plugin = in.readUTF();
            AnalysisResult.Outcome outcome = AnalysisResult.Outcome.valueOf(in.readUTF());
            int n = in.readInt();
            List<Column<?>> columns = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                columns.add(column(in.readUTF(), ColumnType.valueOf(in.readUTF()), in.readUTF(), in.readBoolean()));
            }
            ResultTable table = new ResultTable(columns);
            readRows(in, table, null, columns);
            AnalysisResult result = new AnalysisResult(plugin, table);
            for (int i = in.readInt(); i > 0; i--) {
                result.add(new Diagnostic(Diagnostic.Severity.valueOf(in.readUTF()), readText(in), readText(in)));
            }
            for (int i = in.readInt(); i > 0; i--) {
                result.addFile(new OutputFile(Path.of(readText(in)), in.readLong(), in.readUTF(), readText(in)));
            }
            return result.outcome(outcome);
        } catch (IllegalArgumentException | ReflectiveOperationException e) {
            throw new IOException(file + " holds what this version cannot read back: " + e.getMessage(), e);
        }
    }

    private static Column<?> column(String name, ColumnType type, String meaning, boolean subject) {
        Column<?> c = switch (type) {
            case ADDRESS -> Column.address(name);
            case INTEGER -> Column.integer(name);
            case PID -> Column.pid(name);
            case SIZE -> Column.size(name);
            case STRING -> Column.string(name);
            case TIME -> meaning.isEmpty() ? Column.time(name) : Column.time(name, TimeMeaning.valueOf(meaning));
            case HASH -> Column.hash(name);
            case BOOLEAN -> Column.bool(name);
            case PROVENANCE -> Column.provenance(name);
            case BYTES -> Column.bytes(name);
        };
        return subject ? c.subject() : c;
    }

    private static void writeRows(DataOutputStream out, List<Row> rows, int columns) throws IOException {
        out.writeInt(rows.size());
        for (Row r : rows) {
            for (int i = 0; i < columns; i++) {
                writeValue(out, r.cell(i));
            }
            writeRows(out, r.children(), columns);
        }
    }

    private static void readRows(DataInputStream in, ResultTable table, Row parent, List<Column<?>> columns)
            throws IOException, ReflectiveOperationException {
        for (int n = in.readInt(); n > 0; n--) {
            Row r = parent == null ? table.addRow() : parent.addChild();
            for (Column<?> c : columns) {
                Object v = readValue(in);
                if (v != null) {
                    r.setCell(c, v);
                }
            }
            readRows(in, table, r, columns);
        }
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        switch (v) {
            case null -> out.writeByte(NULL);
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Integer i -> {
                out.writeByte(INT);
                out.writeInt(i);
            }
            case String s -> {
                out.writeByte(STRING);
                writeText(out, s);
            }
            case Boolean b -> {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            }
            case Instant t -> {
                out.writeByte(INSTANT);
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            }
            case byte[] b -> {
                out.writeByte(BYTES);
                out.writeInt(b.length);
                out.write(b);
            }
            case Record r when r.getClass().getName().startsWith(CORE) -> {
                out.writeByte(RECORD);
                out.writeUTF(r.getClass().getName());
                RecordComponent[] parts = r.getClass().getRecordComponents();
                out.writeByte(parts.length);
                for (RecordComponent p : parts) {
                    try {
                        writeValue(out, p.getAccessor().invoke(r));
                    } catch (ReflectiveOperationException e) {
                        throw new IOException("cannot keep a " + r.getClass().getSimpleName() + ": " + e, e);
                    }
                }
            }
            default -> throw new IOException("cannot keep a cell of " + v.getClass().getName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException, ReflectiveOperationException {
        int tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case STRING -> readText(in);
            case BOOLEAN -> in.readBoolean();
            case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case BYTES -> {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                yield b;
            }
            case RECORD -> readRecord(in);
            default -> throw new IOException("unknown cell tag " + tag);
        };
    }

    private static Object readRecord(DataInputStream in) throws IOException, ReflectiveOperationException {
        String name = in.readUTF();
        if (!name.startsWith(CORE)) {
            throw new IOException("a cell of " + name + " is none of the core's");
        }
        Class<?> type = Class.forName(name, false, AnalysisResult.class.getClassLoader());
        RecordComponent[] parts = type.getRecordComponents();
        if (parts == null || parts.length != in.readByte()) {
            throw new IOException(name + " has changed since the result was kept");
        }
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = readValue(in);
            types[i] = parts[i].getType();
        }
        Constructor<?> c = type.getDeclaredConstructor(types);
        c.setAccessible(true);
        return c.newInstance(values);
    }

    /** Writes text of any length (a modified-UTF-8 string is limited to 64 KiB). */
    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
