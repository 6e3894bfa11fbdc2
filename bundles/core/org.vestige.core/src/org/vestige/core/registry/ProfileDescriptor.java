package org.vestige.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;

import org.eclipse.core.runtime.ContributorFactoryOSGi;
import org.eclipse.core.runtime.IConfigurationElement;
import org.osgi.framework.Bundle;
import org.vestige.core.types.ParsedProfiles;
import org.vestige.core.types.Profile;

/**
 * A kernel profile, or a driver's symbols (tcpip.pdb), contributed to {@code org.vestige.core.profiles}: an ISF
 * file inside the contributing bundle, with the identity it is matched by (PDB name, GUID, age; build;
 * architecture) declared in {@code plugin.xml}, so the right profile is chosen without parsing
 * every file.
 *
 * @since 0.1
 */
public final class ProfileDescriptor extends Contribution {

    private final String id;
    private final String os;
    private final String architecture;
    private final int build;
    private final String pdbName;
    private final String pdbGuid;
    private final int pdbAge;
    private final String file;
    private final String types;
    private final int revision;
    private final String origin;

    ProfileDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        this.id = required("id");
        this.os = optional("os", "windows");
        this.architecture = required("architecture");
        try {
            this.build = Integer.parseInt(optional("build", "0"));
            this.pdbAge = Integer.parseInt(optional("pdbAge", "0"));
            this.revision = Integer.parseInt(optional("revision", "0"));
        } catch (NumberFormatException e) {
            throw new InvalidContributionException(contributor(), "profile " + id + ": build, revision and pdbAge must be numbers");
        }
        this.pdbName = optional("pdbName", null);
        this.pdbGuid = optional("pdbGuid", null);
        this.file = required("file");
        this.types = optional("types", null);
        this.origin = optional("origin", null);
    }

    public String id() {
        return id;
    }

    public String os() {
        return os;
    }

    public String architecture() {
        return architecture;
    }

    public int build() {
        return build;
    }

    public String pdbName() {
        return pdbName;
    }

    public String pdbGuid() {
        return pdbGuid;
    }

    public int pdbAge() {
        return pdbAge;
    }

    /** @return the ISF file's path inside the contributing bundle */
    public String file() {
        return file;
    }

    /**
     * @return the path inside the contributing bundle of the types document this profile shares with
     *         the other kernels of its build, or null when {@link #file()} holds all its types
     * @since 0.1
     */
    public String types() {
        return types;
    }

    /**
     * @return the kernel's file revision (the last part of its version, e.g. 1288 in 10.0.19041.1288),
     *         or 0 when not known
     * @since 0.1
     */
    public int revision() {
        return revision;
    }

    /**
     * @return where the profile's data came from (its source and attribution), or null when not said
     * @since 0.1
     */
    public String origin() {
        return origin;
    }

    /**
     * Reads the profile from the contributing bundle (with its build's shared types, when it has them), through
     * the user's {@linkplain ParsedProfiles parsed profiles} so that an ISF read before is not parsed again.
     */
    public Profile load() throws IOException {
        Bundle bundle = ContributorFactoryOSGi.resolve(element().getContributor());
        URL url = entry(bundle, file);
        byte[] own;
        try (InputStream in = url.openStream()) {
            own = in.readAllBytes();
        }
        if (types == null) {
            return ParsedProfiles.userDefault().read(own, contributor() + "/" + file);
        }
        byte[] shared;
        try (InputStream in = entry(bundle, types).openStream()) {
            shared = in.readAllBytes();
        }
        return ParsedProfiles.userDefault().readLayered(shared, own, contributor() + "/" + file);
    }

    private URL entry(Bundle bundle, String path) throws IOException {
        URL url = bundle == null ? null : bundle.getEntry(path);
        if (url == null) {
            throw new IOException("bundle " + contributor() + " has no file " + path + " (profile " + id + ")");
        }
        return url;
    }
}
