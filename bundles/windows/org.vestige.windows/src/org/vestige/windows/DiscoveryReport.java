package org.vestige.windows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * What kernel discovery tried, in order, and why each attempt failed or what it found: a tree of
 * {@link Attempt}s (a step, e.g. "DTB from the low stub", with its sub-attempts). Shown to the
 * analyst when discovery fails or picks a fallback, so every decision can be checked.
 *
 * @since 0.1
 */
public final class DiscoveryReport {

    /**
     * How an attempt ended.
     *
     * @since 0.1
     */
    public enum Outcome {
        /** found what it looked for */
        FOUND,
        /** looked and did not find it, or what it found did not validate */
        FAILED,
        /** not tried (not needed, or impossible without an earlier result) */
        SKIPPED,
        /** a note about a decision */
        NOTE
    }

    /**
     * One step of discovery.
     *
     * @since 0.1
     */
    public static final class Attempt {
        private final String step;
        private volatile Outcome outcome = Outcome.NOTE;
        private volatile String detail = "";
        private final List<Attempt> children = Collections.synchronizedList(new ArrayList<>());

        Attempt(String step) {
            this.step = step;
        }

        public String step() {
            return step;
        }

        public Outcome outcome() {
            return outcome;
        }

        public String detail() {
            return detail;
        }

        public List<Attempt> children() {
            synchronized (children) {
                return List.copyOf(children);
            }
        }

        /** Starts a sub-attempt. */
        public Attempt child(String childStep) {
            Attempt a = new Attempt(childStep);
            children.add(a);
            return a;
        }

        public Attempt found(String what) {
            outcome = Outcome.FOUND;
            detail = what;
            return this;
        }

        public Attempt failed(String why) {
            outcome = Outcome.FAILED;
            detail = why;
            return this;
        }

        public Attempt skipped(String why) {
            outcome = Outcome.SKIPPED;
            detail = why;
            return this;
        }

        public Attempt note(String what) {
            outcome = Outcome.NOTE;
            detail = what;
            return this;
        }

        void render(StringBuilder out, int depth) {
            out.append("  ".repeat(depth)).append(symbol()).append(' ').append(step);
            if (!detail.isEmpty()) {
                out.append(": ").append(detail);
            }
            out.append('\n');
            for (Attempt c : children()) {
                c.render(out, depth + 1);
            }
        }

        private String symbol() {
            return switch (outcome) {
                case FOUND -> "[found]";
                case FAILED -> "[failed]";
                case SKIPPED -> "[skipped]";
                case NOTE -> "[note]";
            };
        }

        void collect(Predicate<Attempt> test, List<Attempt> into) {
            if (test.test(this)) {
                into.add(this);
            }
            for (Attempt c : children()) {
                c.collect(test, into);
            }
        }
    }

    private final Attempt root = new Attempt("kernel discovery");

    public Attempt root() {
        return root;
    }

    /** @return every attempt (depth first) whose step starts with {@code prefix} */
    public List<Attempt> find(String prefix) {
        List<Attempt> out = new ArrayList<>();
        root.collect(a -> a.step().startsWith(prefix), out);
        return out;
    }

    /** @return every attempt with the outcome */
    public List<Attempt> withOutcome(Outcome outcome) {
        List<Attempt> out = new ArrayList<>();
        root.collect(a -> a.outcome() == outcome, out);
        return out;
    }

    /** @return the tree as indented text */
    public String render() {
        StringBuilder b = new StringBuilder();
        root.render(b, 0);
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
