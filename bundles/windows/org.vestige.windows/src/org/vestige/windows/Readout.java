package org.vestige.windows;

import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A value read from memory, or the reason it could not be read — typically the reason of the
 * {@link org.vestige.core.layer.PageProvenance.Missing} page it lies on, prefixed with the structure
 * and address concerned, e.g. "CommandLine buffer at 0x1f2a3b0: paged out to pagefile.sys (slot 0)
 * at offset 0x1a000; supply it with --pagefile". Plugins show the value or the reason; nothing is
 * silently zero.
 *
 * @param <T> the value's type
 * @since 0.1
 */
public sealed interface Readout<T> {

    /**
     * A value that was read.
     *
     * @since 0.1
     */
    record Present<T>(T value) implements Readout<T> {
    }

    /**
     * A value that could not be read, and why.
     *
     * @since 0.1
     */
    record Missing<T>(String reason) implements Readout<T> {
    }

    static <T> Readout<T> of(T value) {
        return new Present<>(value);
    }

    static <T> Readout<T> missing(String reason) {
        return new Missing<>(reason);
    }

    default boolean isPresent() {
        return this instanceof Present;
    }

    /**
     * @throws NoSuchElementException carrying the reason when the value is missing
     */
    default T get() {
        return switch (this) {
            case Present<T> p -> p.value();
            case Missing<T> m -> throw new NoSuchElementException(m.reason());
        };
    }

    default T orElse(T other) {
        return this instanceof Present<T> p ? p.value() : other;
    }

    /** @return the reason the value is missing, or null when present */
    default String reason() {
        return this instanceof Missing<T> m ? m.reason() : null;
    }

    default <U> Readout<U> map(Function<? super T, ? extends U> f) {
        return switch (this) {
            case Present<T> p -> new Present<>(f.apply(p.value()));
            case Missing<T> m -> new Missing<>(m.reason());
        };
    }

    default <U> Readout<U> flatMap(Function<? super T, Readout<U>> f) {
        return switch (this) {
            case Present<T> p -> f.apply(p.value());
            case Missing<T> m -> new Missing<>(m.reason());
        };
    }

    /** @return the value's text, or "missing: " and the reason */
    default String display() {
        return this instanceof Present<T> p ? String.valueOf(p.value()) : "missing: " + reason();
    }
}
