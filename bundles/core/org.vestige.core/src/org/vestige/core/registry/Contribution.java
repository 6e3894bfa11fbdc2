package org.vestige.core.registry;

import java.util.Objects;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;

/**
 * One contribution to a Vestige extension point: its configuration element, read eagerly for the
 * attributes the host lists and decides by, and its class created lazily, type-checked, with
 * failures naming the contributing bundle.
 *
 * @since 0.1
 */
public abstract class Contribution {

    private final IConfigurationElement element;

    protected Contribution(IConfigurationElement element) {
        this.element = Objects.requireNonNull(element);
    }

    protected IConfigurationElement element() {
        return element;
    }

    /** @return the symbolic name of the contributing bundle */
    public String contributor() {
        return element.getContributor().getName();
    }

    /**
     * @return the attribute's value
     * @throws InvalidContributionException when it is absent or blank
     */
    protected String required(String attribute) throws InvalidContributionException {
        String v = element.getAttribute(attribute);
        if (v == null || v.isBlank()) {
            throw new InvalidContributionException(contributor(), element.getName() + " lacks the required attribute '"
                    + attribute + "'");
        }
        return v.strip();
    }

    /** @return the attribute's value, or {@code fallback} */
    protected String optional(String attribute, String fallback) {
        String v = element.getAttribute(attribute);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    /**
     * Creates the contribution's class named by {@code attribute}.
     *
     * @throws IllegalStateException naming the bundle and class when it cannot be created or has the wrong type
     */
    protected <T> T create(String attribute, Class<T> type) {
        Object o;
        try {
            o = element.createExecutableExtension(attribute);
        } catch (CoreException e) {
            throw new IllegalStateException("bundle " + contributor() + ": cannot create " + element.getAttribute(
                    attribute) + ": " + e.getStatus().getMessage(), e);
        }
        if (!type.isInstance(o)) {
            throw new IllegalStateException("bundle " + contributor() + ": " + o.getClass().getName()
                    + " does not implement " + type.getName());
        }
        return type.cast(o);
    }
}
