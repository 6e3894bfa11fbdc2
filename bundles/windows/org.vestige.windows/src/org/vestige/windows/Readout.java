package org.vestige.windows;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

import org.vestige.core.layer.MissingCause;

/**
 * A value read from memory, or the reason it could not be read — typically the reason of the
 * {@link org.vestige.core.layer.PageProvenance.Missing} page it lies on, prefixed with the structure
 * and address concerned, e.g. "CommandLine buffer at 0x1f2a3b0: paged out to pagefile.sys (slot 0)
 * at offset 0x1a000", with that page's {@link MissingCause} so code decides on the type and each front
 * end adds its own hint. Plugins show the value or the reason; nothing is silently zero.
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
     * @param cause  the cause of the missing page the value lies on; null when the value is missing for
     *               another reason (a null pointer, an implausible length, a type the profile lacks)
     * @param reason why, in the analyst's words
     * @since 0.1
     */
    record Missing<T>(MissingCause cause, String reason) implements Readout<T> {

        public Missing {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <T> Readout<T> of(T value) {
        return new Present<>(value);
    }

    /** @return a value missing for a reason other than unreadable memory */
    static <T> Readout<T> missing(String reason) {
        return new Missing<>(null, reason);
    }

    /** @return a value missing because memory could not be read, for the given cause */
    static <T> Readout<T> missing(MissingCause cause, String reason) {
        return new Missing<>(cause, reason);
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

    /** @return the cause of the missing page the value lies on, or null when present or missing for another reason */
    default MissingCause cause() {
        return this instanceof Missing<T> m ? m.cause() : null;
    }

    default <U> Readout<U> map(Function<? super T, ? extends U> f) {
        return switch (this) {
            case Present<T> p -> new Present<>(f.apply(p.value()));
            case Missing<T> m -> new Missing<>(m.cause(), m.reason());
        };
    }

    default <U> Readout<U> flatMap(Function<? super T, Readout<U>> f) {
        return switch (this) {
            case Present<T> p -> f.apply(p.value());
            case Missing<T> m -> new Missing<>(m.cause(), m.reason());
        };
    }

    /** @return the value's text, or "missing: " and the reason */
    default String display() {
        return this instanceof Present<T> p ? String.valueOf(p.value()) : "missing: " + reason();
    }
}
