package org.vestige.core.registry;

import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.IConfigurationElement;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.FormatHandle;

/**
 * An evidence format contributed to {@code org.vestige.core.formats}.
 *
 * @since 0.1
 */
public final class FormatDescriptor extends Contribution implements FormatHandle {

    private final String id;
    private final String name;
    private final List<String> filePatterns;
    private volatile EvidenceFormat format;

    FormatDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        this.id = required("id");
        this.name = optional("name", id);
        required("class");
        this.filePatterns = Arrays.stream(optional("filePatterns", "").split(",")).map(String::strip).filter(
                s -> !s.isEmpty()).toList();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return file-name patterns the format usually has (e.g. {@code *.aff4}), for open dialogs */
    public List<String> filePatterns() {
        return filePatterns;
    }

    @Override
    public EvidenceFormat format() {
        EvidenceFormat f = format;
        if (f == null) {
            synchronized (this) {
                if (format == null) {
                    format = create("class", EvidenceFormat.class);
                }
                f = format;
            }
        }
        return f;
    }
}
