package org.vestige.core.plugin;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.result.AnalysisResult;

/**
 * Runs analyses against one case. The CLI and the workbench both run plugins through a session,
 * so the same analysis gives the same result wherever it runs; shared services (kernel discovery,
 * process lists) are created once per session.
 *
 * @since 0.1
 */
public final class AnalysisSession implements Closeable {

    private final EvidenceCase evidenceCase;
    private final Path outputDirectory;
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    private final java.util.List<Path> symbolPaths;
    private final java.util.Set<String> disabledStores;

    /**
     * @param evidenceCase    the open case, or null for analyses that need no evidence
     * @param outputDirectory where analyses write files
     */
    public AnalysisSession(EvidenceCase evidenceCase, Path outputDirectory) {
        this(evidenceCase, outputDirectory, java.util.List.of());
    }

    /**
     * @param evidenceCase    the open case, or null for analyses that need no evidence
     * @param outputDirectory where analyses write files
     * @param symbolPaths     symbol tables the analyst supplied (ISF files, folders, symbol packs)
     */
    public AnalysisSession(EvidenceCase evidenceCase, Path outputDirectory, java.util.List<Path> symbolPaths) {
        this(evidenceCase, outputDirectory, symbolPaths, java.util.Set.of());
    }

    /**
     * @param evidenceCase    the open case, or null for analyses that need no evidence
     * @param outputDirectory where analyses write files
     * @param symbolPaths     symbol tables the analyst supplied (ISF files, folders, symbol packs)
     * @param disabledStores  backing stores the analyst switched off, by contribution id or by a page
     *                        state they resolve (e.g. {@code compressed})
     */
    public AnalysisSession(EvidenceCase evidenceCase, Path outputDirectory, java.util.List<Path> symbolPaths,
            java.util.Set<String> disabledStores) {
        this.evidenceCase = evidenceCase;
        this.outputDirectory = Objects.requireNonNull(outputDirectory);
        this.symbolPaths = java.util.List.copyOf(symbolPaths);
        this.disabledStores = java.util.Set.copyOf(disabledStores);
    }

    public Optional<EvidenceCase> evidenceCase() {
        return Optional.ofNullable(evidenceCase);
    }

    /**
     * Runs an analysis.
     *
     * @throws AnalysisException when a requirement is not met or the analysis fails
     */
    public AnalysisResult run(PluginInfo plugin, Analysis analysis, Options options, IProgressMonitor monitor)
            throws AnalysisException {
        if (plugin.requires(Requirement.EVIDENCE) && evidenceCase == null) {
            throw new AnalysisException(plugin.id() + " needs evidence: give a memory image with -f IMAGE");
        }
        AnalysisContext context = new AnalysisContext() {
            @Override
            public PluginInfo plugin() {
                return plugin;
            }

            @Override
            public Options options() {
                return options;
            }

            @Override
            public Optional<EvidenceCase> evidenceCase() {
                return Optional.ofNullable(evidenceCase);
            }

            @Override
            public Path outputDirectory() {
                return outputDirectory;
            }

            @Override
            public java.util.List<Path> symbolPaths() {
                return symbolPaths;
            }

            @Override
            public java.util.Set<String> disabledStores() {
                return disabledStores;
            }

            @Override
            public <T> T shared(Class<T> type, Function<AnalysisContext, T> factory) {
                Object existing = services.get(type);
                if (existing == null) {
                    // not computeIfAbsent: a factory may itself ask for other shared services
                    T created = factory.apply(this);
                    existing = services.putIfAbsent(type, created);
                    if (existing == null) {
                        existing = created;
                    }
                }
                return type.cast(existing);
            }
        };
        AnalysisResult result = analysis.run(context, monitor);
        if (result == null) {
            throw new AnalysisException(plugin.id() + " returned no result");
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        for (Object s : services.values()) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing caches must not mask the analysis outcome
                }
            }
        }
        services.clear();
        if (evidenceCase != null) {
            evidenceCase.close();
        }
    }
}
