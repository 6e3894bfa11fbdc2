package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.internal.render.BodyfileRenderer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;
import org.vestige.core.result.TimeEvent;
import org.vestige.core.result.TimeMeaning;
import org.vestige.core.result.Timeline;
import org.vestige.core.result.Unavailable;

/**
 * The timeline's model: which values of a result become events and how they are named, the order of a
 * timeline and reading it back, the body file's slots, and the {@code <timeline>} declaration.
 */
public class TimelineTest {

    static final Column<Long> PID = Column.pid("PID").subject();
    static final Column<String> NAME = Column.string("Name").subject();
    static final Column<Long> THREADS = Column.integer("Threads");
    static final Column<Instant> CREATED = Column.time("Created", TimeMeaning.CREATED);
    static final Column<Instant> EXITED = Column.time("Exited", TimeMeaning.EXITED);
    static final Column<Instant> SEEN = Column.time("Seen");

    static final Instant T1 = Instant.parse("2024-05-01T10:00:00.5Z");
    static final Instant T2 = Instant.parse("2024-05-01T11:00:00Z");

    static AnalysisResult processes() {
        ResultTable t = ResultTable.of(PID, NAME, THREADS, CREATED, EXITED, SEEN);
        Row system = t.addRow().set(PID, 4L).set(NAME, "System").set(THREADS, 90L).set(CREATED, T2).set(SEEN, T1);
        system.addChild().set(PID, 388L).set(NAME, "smss|x.exe").set(CREATED, T1).set(EXITED, T2);
        t.addRow().set(PID, 600L).setCell(NAME, new Unavailable("paged out", new MissingCause.NotCaptured()))
                .setCell(CREATED, new Unavailable("paged out to pagefile.sys", new MissingCause.NotCaptured()));
        return new AnalysisResult("test.ps", t);
    }

    @Test
    public void everyValueOfAMeaningfulTimeColumnAtEveryDepthIsAnEventNamedByItsSubjects() {
        List<TimeEvent> events = Timeline.events(processes());
        assertEquals(4, events.size());
        assertEquals(new TimeEvent(T2, null, TimeMeaning.CREATED, "test.ps", "PID=4 Name=System"), events.get(0));
        assertEquals(new TimeEvent(T1, null, TimeMeaning.CREATED, "test.ps", "PID=388 Name=smss|x.exe"), events.get(
                1));
        assertEquals(TimeMeaning.EXITED, events.get(2).meaning());
        TimeEvent unread = events.get(3);
        assertNull(unread.time());
        assertEquals("paged out to pagefile.sys", unread.missing().reason());
        assertEquals("PID=600 Name=[paged out]", unread.object());
    }

    @Test
    public void withoutSubjectColumnsEveryColumnButTheTimesNamesTheObject() {
        Column<Long> pid = Column.pid("PID");
        Column<Instant> created = Column.time("Created", TimeMeaning.CREATED);
        ResultTable t = ResultTable.of(pid, Column.string("Note"), created);
        t.addRow().set(pid, 8L).set(created, T1);
        assertEquals("PID=8", Timeline.events(new AnalysisResult("x.y", t)).get(0).object());
        assertTrue(Timeline.events(new AnalysisResult("x.y", ResultTable.of(SEEN))).isEmpty());
    }

    @Test
    public void aTimelineIsInOrderUnreadTimesLastAndReadsBackAsTheSameEvents() {
        List<TimeEvent> events = Timeline.events(processes());
        ResultTable table = Timeline.table();
        Timeline.addAll(table, events);
        AnalysisResult timeline = new AnalysisResult("windows.timeliner", table);
        assertTrue(Timeline.isTimeline(timeline));
        List<TimeEvent> back = Timeline.events(timeline);
        assertEquals(List.of(T1, T2, T2), back.subList(0, 3).stream().map(TimeEvent::time).toList());
        assertEquals(List.of(TimeMeaning.CREATED, TimeMeaning.CREATED, TimeMeaning.EXITED), back.subList(0, 3)
                .stream().map(TimeEvent::meaning).toList());
        assertNull(back.get(3).time());
        assertEquals(events.stream().sorted(Timeline.ORDER).toList(), back);
    }

    @Test
    public void theBodyFilePutsEachTimeInTheSlotOfItsMeaningAndUnreadTimesInComments() throws IOException {
        StringWriter w = new StringWriter();
        new BodyfileRenderer().render(processes(), w);
        String[] lines = w.toString().split("\n");
        assertEquals(4, lines.length);
        long t1 = T1.getEpochSecond();
        long t2 = T2.getEpochSecond();
        assertEquals("0|[test.ps] PID=4 Name=System (created)|0|0|0|0|0|0|0|0|" + t2, lines[0]);
        assertEquals("0|[test.ps] PID=388 Name=smss\\x7cx.exe (created)|0|0|0|0|0|0|0|0|" + t1, lines[1]);
        assertEquals("0|[test.ps] PID=388 Name=smss\\x7cx.exe (exited)|0|0|0|0|0|0|0|" + t2 + "|0", lines[2]);
        assertTrue(lines[3], lines[3].startsWith("# [test.ps] PID=600") && lines[3].endsWith(
                "time missing: paged out to pagefile.sys"));
        for (String l : List.of(lines[0], lines[1], lines[2])) {
            assertEquals(l, 11, l.split("\\|", -1).length);
        }
        assertEquals(TimeMeaning.Slot.MODIFIED, TimeMeaning.LAST_WRITTEN.slot());
        assertEquals(TimeMeaning.LAST_WRITTEN, TimeMeaning.of("last written").orElseThrow());
    }

    @Test
    public void theTimelineDeclarationIsReadWithItsOptionValuesAndCheckedAgainstTheOptions() {
        ExtensionsTest.withPlugins("""
                <plugin>
                   <extension point="org.vestige.core.plugins">
                      <plugin id="third.party.keys" name="Keys" category="X" class="third.party.Keys">
                         <option name="recurse" type="boolean" default="false"/>
                         <timeline>
                            <set option="recurse" value="true"/>
                         </timeline>
                      </plugin>
                      <plugin id="third.party.plain" name="Plain" category="X" class="third.party.Plain"/>
                      <plugin id="third.party.wrong" name="Wrong" category="X" class="third.party.Wrong">
                         <timeline>
                            <set option="nosuch" value="1"/>
                         </timeline>
                      </plugin>
                   </extension>
                </plugin>""", ext -> {
            assertEquals(Map.of("recurse", List.of("true")), ext.plugin("third.party.keys").orElseThrow().info()
                    .timelineContribution().orElseThrow().options());
            assertFalse(ext.plugin("third.party.plain").orElseThrow().info().timelineContribution().isPresent());
            assertFalse(ext.plugin("third.party.wrong").isPresent());
            assertEquals(1, ext.problems().size());
            assertTrue(ext.problems().get(0), ext.problems().get(0).contains("bad timeline option"));
        });
    }
}
