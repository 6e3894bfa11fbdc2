package org.vestige.core.result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.vestige.core.render.CellFormat;

/**
 * The case's timeline: every time an analysis's result holds in a column that carries a
 * {@link TimeMeaning}, as one table ordered by time. An analysis contributes by declaring such columns
 * ({@link Column#time(String, TimeMeaning)}) and the columns that name its rows' object
 * ({@link Column#subject()}), and by a {@code <timeline>} element in its {@code plugin.xml} declaration,
 * which lets the timeline find it without loading its class.
 *
 * <p>The timeline's own table ({@link #table()}) keeps what each time means, so renderers that place times by
 * meaning (a body file) read the same events back from it ({@link #events(AnalysisResult)}).
 *
 * @since 0.1
 */
public final class Timeline {

    /** When it happened; a time that could not be read is missing here with its reason. */
    public static final Column<Instant> TIME = Column.time("Time");
    /** What the time means: a {@link TimeMeaning#id()}. */
    public static final Column<String> MEANING = Column.string("Meaning");
    /** The id of the analysis that read it. */
    public static final Column<String> SOURCE = Column.string("Source");
    /** The object it concerns. */
    public static final Column<String> OBJECT = Column.string("Object");

    /** Times in order, then meaning, source and object; times that could not be read last. */
    public static final Comparator<TimeEvent> ORDER = Comparator.comparing(TimeEvent::time, Comparator
            .nullsLast(Comparator.naturalOrder())).thenComparing(TimeEvent::meaning).thenComparing(
                    TimeEvent::source).thenComparing(TimeEvent::object);

    private Timeline() {
    }

    /** @return an empty timeline table */
    public static ResultTable table() {
        return ResultTable.of(TIME, MEANING, SOURCE, OBJECT);
    }

    /** Adds events to a timeline table, in {@link #ORDER}. */
    public static void addAll(ResultTable timeline, List<TimeEvent> events) {
        List<TimeEvent> sorted = new ArrayList<>(events);
        sorted.sort(ORDER);
        for (TimeEvent e : sorted) {
            timeline.addRow().setCell(TIME, e.cell()).set(MEANING, e.meaning().id()).set(SOURCE, e.source())
                    .set(OBJECT, e.object());
        }
    }

    /**
     * @return whether the result is a timeline (its table is {@link #table()}'s), whose rows are events
     */
    public static boolean isTimeline(AnalysisResult result) {
        return result.table().columns().contains(TIME) && result.table().columns().contains(MEANING);
    }

    /**
     * The events of a result: the rows of a timeline, or every value (and every value missing for a reason)
     * in the result's time columns that carry a meaning, at every depth of its rows. Values that do not apply
     * (the exit time of a running process) are no events.
     *
     * @return the events in row order
     */
    public static List<TimeEvent> events(AnalysisResult result) {
        List<TimeEvent> events = new ArrayList<>();
        if (isTimeline(result)) {
            result.table().walk((row, depth) -> TimeMeaning.of(row.get(MEANING)).ifPresent(m -> add(events, row
                    .cell(TIME), m, row.get(SOURCE), row.get(OBJECT))));
            return events;
        }
        List<Column<?>> columns = result.table().columns();
        List<Column<?>> timed = columns.stream().filter(c -> c.timeMeaning().isPresent()).toList();
        if (timed.isEmpty()) {
            return events;
        }
        List<Column<?>> subjects = columns.stream().filter(Column::isSubject).toList();
        List<Column<?>> naming = subjects.isEmpty() ? columns.stream().filter(c -> c.type() != ColumnType.TIME)
                .toList() : subjects;
        result.table().walk((row, depth) -> {
            String object = object(row, naming);
            for (Column<?> c : timed) {
                add(events, row.cell(c), c.timeMeaning().orElseThrow(), result.pluginId(), object);
            }
        });
        return events;
    }

    private static void add(List<TimeEvent> events, Object cell, TimeMeaning meaning, String source,
            String object) {
        if (cell instanceof Instant t) {
            events.add(new TimeEvent(t, null, meaning, source, object));
        } else if (cell instanceof Unavailable u && !CellFormat.notApplicable(u)) {
            events.add(new TimeEvent(null, u, meaning, source, object));
        }
    }

    /** @return the row's object: each naming column's value as {@code Name=value}, those that apply */
    static String object(Row row, List<Column<?>> naming) {
        StringBuilder sb = new StringBuilder();
        for (Column<?> c : naming) {
            Object cell = row.cell(c);
            if (cell instanceof Unavailable u && CellFormat.notApplicable(u)) {
                continue;
            }
            sb.append(sb.isEmpty() ? "" : " ").append(c.name()).append('=').append(CellFormat.text(c.type(),
                    cell));
        }
        return sb.toString();
    }
}
