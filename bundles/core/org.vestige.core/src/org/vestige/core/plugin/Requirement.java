package org.vestige.core.plugin;

import java.util.Objects;

/**
 * Something an analysis needs before it can run, declared in {@code plugin.xml} so the CLI and
 * the workbench can check it and explain what is missing without running the analysis.
 *
 * <p>Kinds understood by the core: {@code evidence} (a memory image must be given). Other kinds
 * ({@code kernel}, {@code profile}, {@code plugin}) are resolved by the bundles that provide them
 * and are listed in help output.
 *
 * @param kind  what is needed
 * @param value a qualifier (e.g. the id of another plugin), or empty
 * @since 0.1
 */
public record Requirement(String kind, String value) {

    /** A memory image (or other evidence) must be opened. */
    public static final String EVIDENCE = "evidence";

    public Requirement {
        Objects.requireNonNull(kind, "kind");
        value = value == null ? "" : value;
    }

    @Override
    public String toString() {
        return value.isEmpty() ? kind : kind + " " + value;
    }
}
