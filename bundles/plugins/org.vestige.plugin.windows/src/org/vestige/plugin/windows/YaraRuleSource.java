package org.vestige.plugin.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.UsageException;

/** The YARA rules an analysis was given ({@code --rules FILE}, {@code --rule TEXT}, or both), compiled. */
final class YaraRuleSource {

    private YaraRuleSource() {
    }

    /**
     * @throws UsageException    when no rules were given, the file is missing or unreadable, or a rule does not
     *                           compile (naming the line and libyara's message)
     * @throws AnalysisException when libyara cannot be loaded
     */
    static YaraRules compile(AnalysisContext context) throws AnalysisException {
        List<YaraRules.Source> sources = new ArrayList<>();
        Optional<Path> file = context.options().path("rules");
        if (file.isPresent()) {
            try {
                sources.add(new YaraRules.Source(file.get().toString(), Files.readString(file.get(),
                        StandardCharsets.UTF_8)));
            } catch (NoSuchFileException e) {
                throw new UsageException("--rules: no such file " + file.get());
            } catch (IOException e) {
                throw new UsageException("--rules: " + file.get() + " cannot be read: " + e.getMessage());
            }
        }
        context.options().string("rule").ifPresent(text -> sources.add(new YaraRules.Source("--rule", text)));
        if (sources.isEmpty()) {
            throw new UsageException(context.plugin().id() + " needs YARA rules: --rules FILE or --rule 'rule name {"
                    + " strings: $a = \"text\" condition: $a }'");
        }
        String unavailable = YaraRules.unavailable();
        if (unavailable != null) {
            throw new AnalysisException(unavailable);
        }
        try {
            return YaraRules.compile(sources);
        } catch (YaraRules.SyntaxError e) {
            throw new UsageException("the YARA rules do not compile: " + e.getMessage());
        }
    }
}
