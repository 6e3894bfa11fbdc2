package org.vestige.windows.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * How many of a list of times fall in each of equal spans between the earliest and the latest, as bars on a
 * canvas. Dragging across the bars selects a span of time: the histogram then shows that span alone, in finer
 * buckets, and tells its listener; {@link #reset()} shows every time again.
 *
 * @since 0.1
 */
public final class TimeHistogram {

    /** A span of time, both ends included. */
    public record Span(Instant from, Instant to) {

        public boolean contains(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }
    }

    /** The width of one bucket's bar in pixels. */
    private static final int BAR = 4;
    private static final int LABELS = 16;

    private final Canvas canvas;
    private final Consumer<Optional<Span>> listener;
    private List<Instant> times = List.of();
    private Span shown;
    private Span selected;
    private int dragFrom = -1;
    private int dragTo = -1;

    /**
     * @param listener told the span selected, or empty when every time is shown again
     */
    public TimeHistogram(Composite parent, Consumer<Optional<Span>> listener) {
        this.listener = listener;
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.BORDER);
        canvas.addPaintListener(e -> paint(e.gc));
        canvas.addListener(SWT.MouseDown, e -> {
            dragFrom = e.x;
            dragTo = e.x;
        });
        canvas.addListener(SWT.MouseMove, e -> {
            if (dragFrom >= 0) {
                dragTo = e.x;
                canvas.redraw();
            }
        });
        canvas.addListener(SWT.MouseUp, e -> {
            if (dragFrom >= 0 && Math.abs(e.x - dragFrom) > 2) {
                select(at(Math.min(dragFrom, e.x)), at(Math.max(dragFrom, e.x)));
            }
            dragFrom = -1;
            canvas.redraw();
        });
    }

    /** @return the canvas (its parent lays it out) */
    public Canvas control() {
        return canvas;
    }

    /** Shows these times, all of them. */
    public void show(List<Instant> all) {
        times = List.copyOf(all);
        shown = whole();
        selected = null;
        canvas.redraw();
    }

    /** Selects the times from {@code from} to {@code to} and shows that span alone. */
    public void select(Instant from, Instant to) {
        if (shown == null) {
            return;
        }
        selected = new Span(from, to);
        shown = selected;
        canvas.redraw();
        listener.accept(Optional.of(selected));
    }

    /** Shows every time again and tells the listener. */
    public void reset() {
        shown = whole();
        selected = null;
        canvas.redraw();
        listener.accept(Optional.empty());
    }

    /** @return the span selected, if any */
    public Optional<Span> selected() {
        return Optional.ofNullable(selected);
    }

    /** @return the count of each bucket of the span shown, at the canvas's present width */
    public int[] counts() {
        int n = Math.max(1, canvas.getClientArea().width / BAR);
        int[] counts = new int[n];
        if (shown == null) {
            return counts;
        }
        long lo = nanos(shown.from());
        double width = Math.max(1, nanos(shown.to()) - lo);
        for (Instant t : times) {
            if (shown.contains(t)) {
                counts[(int) Math.min(n - 1, (nanos(t) - lo) / width * n)]++;
            }
        }
        return counts;
    }

    private Span whole() {
        if (times.isEmpty()) {
            return null;
        }
        Instant lo = times.stream().min(Instant::compareTo).orElseThrow();
        Instant hi = times.stream().max(Instant::compareTo).orElseThrow();
        return new Span(lo, hi);
    }

    /** @return the time at pixel {@code x} of the span shown */
    private Instant at(int x) {
        double f = Math.max(0, Math.min(1, x / (double) Math.max(1, canvas.getClientArea().width)));
        long lo = nanos(shown.from());
        return Instant.EPOCH.plusNanos(lo + (long) (f * (nanos(shown.to()) - lo)));
    }

    /** Nanoseconds since 1970, saturated (link times run from 1970 to 2106; every FILETIME fits). */
    private static long nanos(Instant t) {
        return Duration.between(Instant.EPOCH, t).getSeconds() * 1_000_000_000L + t.getNano();
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        if (shown == null) {
            gc.drawString("no times", 4, 4, true);
            return;
        }
        int[] counts = counts();
        int max = 1;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        int plot = area.height - LABELS;
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_DARK_BLUE));
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                // a square root scale: one event beside thousands is still a visible bar
                int h = Math.max(2, (int) (plot * Math.sqrt(counts[i] / (double) max)));
                gc.fillRectangle(i * BAR, plot - h, BAR - 1, h);
            }
        }
        if (dragFrom >= 0) {
            gc.setAlpha(80);
            gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION));
            gc.fillRectangle(Math.min(dragFrom, dragTo), 0, Math.abs(dragTo - dragFrom), plot);
            gc.setAlpha(255);
        }
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
        String from = shown.from().toString();
        String to = shown.to().toString();
        gc.drawString(from, 2, plot + 1, true);
        gc.drawString(to, Math.max(2, area.width - gc.textExtent(to).x - 2), plot + 1, true);
        String summary = times.stream().filter(shown::contains).count() + " times, max " + max + " in "
                + counts.length + " buckets";
        gc.drawString(summary, Math.max(2, (area.width - gc.textExtent(summary).x) / 2), plot + 1, true);
    }
}
