package org.vestige.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;

/**
 * Reads every contribution to Vestige's extension points: evidence formats, backing stores,
 * profiles, analysis plugins and renderers. Reading never loads a contributor's classes;
 * malformed contributions are skipped and listed in {@link #problems()} with their bundle named.
 *
 * <p>Works on the OSGi registry and on a registry fed by hand outside OSGi
 * ({@link RegistryFactory#createRegistry}).
 *
 * @since 0.1
 */
public final class Extensions {

    /** The namespace of Vestige's extension points. */
    public static final String NAMESPACE = "org.vestige.core";

    public static final String FORMATS = NAMESPACE + ".formats";
    public static final String BACKING_STORES = NAMESPACE + ".backingStores";
    public static final String PROFILES = NAMESPACE + ".profiles";
    public static final String PLUGINS = NAMESPACE + ".plugins";
    public static final String RENDERERS = NAMESPACE + ".renderers";

    private final List<FormatDescriptor> formats = new ArrayList<>();
    private final List<BackingStoreDescriptor> backingStores = new ArrayList<>();
    private final List<ProfileDescriptor> profiles = new ArrayList<>();
    private final List<PluginDescriptor> plugins = new ArrayList<>();
    private final List<RendererDescriptor> renderers = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** Reads the contributions in a registry. */
    public Extensions(IExtensionRegistry registry) {
        if (registry == null) {
            problems.add("no extension registry is available (is org.eclipse.equinox.registry started?)");
            return;
        }
        read(registry, FORMATS, "format", FormatDescriptor::new, formats);
        read(registry, BACKING_STORES, "store", BackingStoreDescriptor::new, backingStores);
        read(registry, PROFILES, "profile", ProfileDescriptor::new, profiles);
        read(registry, PLUGINS, "plugin", PluginDescriptor::new, plugins);
        read(registry, RENDERERS, "renderer", RendererDescriptor::new, renderers);
        plugins.sort(Comparator.comparing(PluginDescriptor::id));
        checkUnique(plugins.stream().map(PluginDescriptor::id).toList(), "plugin");
        checkUnique(formats.stream().map(FormatDescriptor::id).toList(), "format");
        checkUnique(renderers.stream().map(RendererDescriptor::id).toList(), "renderer");
    }

    /** Reads the contributions in the platform's registry. */
    public static Extensions fromPlatform() {
        return new Extensions(RegistryFactory.getRegistry());
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(IConfigurationElement e) throws InvalidContributionException;
    }

    private <T> void read(IExtensionRegistry registry, String point, String elementName, Reader<T> reader,
            List<T> into) {
        for (IConfigurationElement e : registry.getConfigurationElementsFor(point)) {
            if (!elementName.equals(e.getName())) {
                problems.add("bundle " + e.getContributor().getName() + ": unexpected element <" + e.getName()
                        + "> in " + point);
                continue;
            }
            try {
                into.add(reader.read(e));
            } catch (InvalidContributionException ex) {
                problems.add(ex.getMessage());
            }
        }
    }

    private void checkUnique(List<String> ids, String what) {
        List<String> seen = new ArrayList<>();
        for (String id : ids) {
            if (seen.contains(id)) {
                problems.add(what + " id '" + id + "' is contributed more than once; the first one is used");
            }
            seen.add(id);
        }
    }

    /** @return evidence formats in contribution order */
    public List<FormatDescriptor> formats() {
        return Collections.unmodifiableList(formats);
    }

    public List<BackingStoreDescriptor> backingStores() {
        return Collections.unmodifiableList(backingStores);
    }

    public List<ProfileDescriptor> profiles() {
        return Collections.unmodifiableList(profiles);
    }

    /** @return analysis plugins sorted by id */
    public List<PluginDescriptor> plugins() {
        return Collections.unmodifiableList(plugins);
    }

    public Optional<PluginDescriptor> plugin(String id) {
        return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public List<RendererDescriptor> renderers() {
        return Collections.unmodifiableList(renderers);
    }

    public Optional<RendererDescriptor> renderer(String id) {
        return renderers.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** @return messages about contributions that were skipped, each naming its bundle */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * Suggests plugin ids close to a mistyped one (edit distance, and ids that contain it), closest first.
     */
    public List<String> suggest(String unknownId, int max) {
        record Scored(String id, int score) {
        }
        List<Scored> scored = new ArrayList<>();
        String needle = unknownId.toLowerCase(java.util.Locale.ROOT);
        for (PluginDescriptor p : plugins) {
            int d = EditDistance.between(needle, p.id());
            String tail = p.id().substring(p.id().lastIndexOf('.') + 1);
            d = Math.min(d, EditDistance.between(needle, tail) + 1);
            if (p.id().contains(needle) && needle.length() >= 3) {
                d = Math.min(d, 1);
            }
            if (d <= Math.max(2, needle.length() / 3)) {
                scored.add(new Scored(p.id(), d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::id));
        return scored.stream().limit(max).map(Scored::id).toList();
    }
}
