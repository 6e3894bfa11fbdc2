package org.vestige.core.registry;

import org.eclipse.core.runtime.IConfigurationElement;
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

    RendererDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        this.id = required("id");
        this.name = optional("name", id);
        this.fileExtension = optional("fileExtension", id);
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

    public Renderer create() {
        return create("class", Renderer.class);
    }
}
