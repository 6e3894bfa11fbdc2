package org.vestige.core.internal.render;

import java.io.IOException;
import java.io.Writer;

import org.vestige.core.render.CellFormat;
import org.vestige.core.render.MissingHint;
import org.vestige.core.render.Renderer;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.TimeEvent;
import org.vestige.core.result.TimeMeaning;
import org.vestige.core.result.Timeline;

/**
 * The Sleuth Kit's body file (3.x, the input of {@code mactime}):
 * {@code MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime}, one line per time of the
 * result's {@linkplain Timeline timeline}, in the slot its {@link TimeMeaning#slot() meaning} names and the
 * other three zero. Times are whole seconds since 1970 (UTC); the name says which analysis read the time,
 * the object and the meaning. A time that could not be read cannot stand on a line: it is written as a
 * comment ({@code #}, which mactime skips) with its reason.
 */
public final class BodyfileRenderer implements Renderer {

    /** Writes the lines; a missing time's reason goes without a front end's hint, as exports do. */
    @Override
    public void render(AnalysisResult result, Writer out) throws IOException {
        for (TimeEvent e : Timeline.events(result)) {
            String name = field("[" + e.source() + "] " + e.object() + " (" + e.meaning().id() + ")");
            if (e.time() == null) {
                out.write("# " + name + ": time missing: " + field(CellFormat.reason(e.missing(), MissingHint.NONE)) + "\n");
                continue;
            }
            long[] times = new long[TimeMeaning.Slot.values().length];
            times[e.meaning().slot().ordinal()] = e.time().getEpochSecond();
            out.write("0|" + name + "|0|0|0|0|0|" + times[0] + "|" + times[1] + "|" + times[2] + "|" + times[3]
                    + "\n");
        }
        out.flush();
    }

    /** @return text that cannot break the line or its fields: pipes and line breaks escaped */
    static String field(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\x7c").replace("\n", "\\n").replace("\r", "\\r");
    }
}
