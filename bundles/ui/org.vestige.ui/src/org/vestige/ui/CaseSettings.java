package org.vestige.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.vestige.core.plugin.SessionSettings;

/**
 * How a case is opened in the workbench: the same choices the command line's global options make
 * ({@code --no-hash}, {@code -o}, {@code --symbols}, {@code --no-compressed-store},
 * {@code --disable-store}), so a case opened here analyses exactly as a headless run would.
 *
 * @param hash            whether every evidence file is hashed (MD5, SHA-1, SHA-256) as the case opens
 * @param outputDirectory where analyses write the files they produce
 * @param symbolPaths     kernel symbol tables (ISF files or folders) tried before the installed profiles
 * @param disabledStores  backing stores switched off, by id or page state
 * @since 0.1
 */
public record CaseSettings(boolean hash, Path outputDirectory, List<Path> symbolPaths, Set<String> disabledStores) {

    public CaseSettings {
        symbolPaths = List.copyOf(symbolPaths);
        disabledStores = Set.copyOf(disabledStores);
    }

    /** @return the choices the case's analysis session takes, as a headless run's would be */
    public SessionSettings sessionSettings() {
        return SessionSettings.builder(outputDirectory).symbols(symbolPaths).disableStores(disabledStores).build();
    }
}
