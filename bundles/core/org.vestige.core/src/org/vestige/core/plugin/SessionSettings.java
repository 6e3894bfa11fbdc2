package org.vestige.core.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analyst's choices for one case's analysis session, the same whether they come from the command
 * line ({@code -o}, {@code --symbols}, {@code --disable-store}) or from the workbench's preferences, so
 * a case analyses alike wherever it is opened.
 *
 * @param outputDirectory where analyses write files
 * @param symbolPaths     symbol tables the analyst supplied (ISF files, folders, symbol packs), tried
 *                        before the installed profiles
 * @param disabledStores  backing stores the analyst switched off, by contribution id or by a page state
 *                        they resolve ({@link org.vestige.core.store.PageStates})
 * @param excludedProfiles installed kernel profiles discovery must not use, by profile id (to see what
 *                        it does when a kernel's own profile is not installed)
 * @since 0.1
 */
public record SessionSettings(Path outputDirectory, List<Path> symbolPaths, Set<String> disabledStores,
        Set<String> excludedProfiles) {

    public SessionSettings {
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        symbolPaths = List.copyOf(symbolPaths);
        disabledStores = Set.copyOf(disabledStores);
        excludedProfiles = Set.copyOf(excludedProfiles);
    }

    /** @return these settings writing to another folder */
    public SessionSettings withOutputDirectory(Path folder) {
        return new SessionSettings(folder, symbolPaths, disabledStores, excludedProfiles);
    }

    /** @return settings writing to {@code outputDirectory}, with no extra symbols and every store on */
    public static SessionSettings writingTo(Path outputDirectory) {
        return builder(outputDirectory).build();
    }

    /** @return a builder of settings writing to {@code outputDirectory} */
    public static Builder builder(Path outputDirectory) {
        return new Builder(outputDirectory);
    }

    /** Builds {@link SessionSettings}. */
    public static final class Builder {
        private final Path outputDirectory;
        private final List<Path> symbolPaths = new ArrayList<>();
        private final Set<String> disabledStores = new TreeSet<>();
        private final Set<String> excludedProfiles = new TreeSet<>();

        private Builder(Path outputDirectory) {
            this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
        }

        /** Adds symbol tables to try before the installed profiles. */
        public Builder symbols(List<Path> paths) {
            symbolPaths.addAll(paths);
            return this;
        }

        /** Switches off backing stores by contribution id or by a page state they resolve. */
        public Builder disableStores(Set<String> ids) {
            disabledStores.addAll(ids);
            return this;
        }

        /** Leaves installed kernel profiles out of discovery, by profile id. */
        public Builder excludeProfiles(Set<String> ids) {
            excludedProfiles.addAll(ids);
            return this;
        }

        public SessionSettings build() {
            return new SessionSettings(outputDirectory, symbolPaths, disabledStores, excludedProfiles);
        }
    }
}
