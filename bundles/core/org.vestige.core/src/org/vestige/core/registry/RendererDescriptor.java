package org.vestige.core.registry;

import org.eclipse.core.runtime.IConfigurationElement;
import org.vestige.core.render.CaseRenderer;
import org.vestige.core.render.Renderer;

/**
 * An output format contributed to {@code org.vestige.core.renderers}.
 *
 * @since 0.1
 */
public final class RendererDescriptor extends Contribution {

    private final String id;
    private final String name;
    private final String fileExtension;
    private final boolean caseFile;

    RendererDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        this.id = required("id");
        this.name = optional("name", id);
        this.fileExtension = optional("fileExtension", id);
        String kind = optional("kind", "stream");
        if (!kind.equals("stream") && !kind.equals("case")) {
            throw new InvalidContributionException(contributor(), "renderer " + id + ": kind '" + kind
                    + "' is neither stream nor case");
        }
        this.caseFile = kind.equals("case");
        required("class");
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** @return the extension of files written in this format, without the dot */
    public String fileExtension() {
        return fileExtension;
    }

    /**
     * @return whether this format holds a whole case in one file ({@code kind="case"}: a {@link CaseRenderer}),
     *         rather than writing each result to a stream (a {@link Renderer})
     * @since 0.1
     */
    public boolean writesCaseFile() {
        return caseFile;
    }

    /** Creates a stream renderer (loads the contributing bundle's class). */
    public Renderer create() {
        if (caseFile) {
            throw new IllegalStateException("renderer " + id + " writes a case file, not a stream");
        }
        return create("class", Renderer.class);
    }

    /**
     * Creates a case renderer (loads the contributing bundle's class).
     *
     * @since 0.1
     */
    public CaseRenderer createCaseRenderer() {
        if (!caseFile) {
            throw new IllegalStateException("renderer " + id + " writes a stream, not a case file");
        }
        return create("class", CaseRenderer.class);
    }
}
