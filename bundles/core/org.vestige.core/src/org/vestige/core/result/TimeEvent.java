package org.vestige.core.result;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One point of the case's timeline: what happened to which object when, and which analysis read it. When
 * the time could not be read, the event still stands, with why ({@link #missing()}), so the timeline says
 * what it lacks.
 *
 * @param time    the time, or null when it could not be read
 * @param missing why the time could not be read, or null when it was
 * @param meaning what the time says about the object
 * @param source  the id of the analysis that read it, e.g. {@code windows.pslist}
 * @param object  the object it concerns, in the words of the analysis's subject columns
 * @since 0.1
 */
public record TimeEvent(Instant time, Unavailable missing, TimeMeaning meaning, String source, String object) {

    public TimeEvent {
        if ((time == null) == (missing == null)) {
            throw new IllegalArgumentException("an event has either a time or the reason it is missing");
        }
        Objects.requireNonNull(meaning, "meaning");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(object, "object");
    }

    /** @return the time when it was read */
    public Optional<Instant> when() {
        return Optional.ofNullable(time);
    }

    /** @return the time's cell: the {@link Instant}, or the {@link Unavailable} saying why it is missing */
    public Object cell() {
        return time != null ? time : missing;
    }
}
