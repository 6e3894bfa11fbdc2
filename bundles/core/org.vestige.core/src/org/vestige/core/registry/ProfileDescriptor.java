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
 * A kernel profile contributed to {@code org.vestige.core.profiles}: an ISF file inside the
 * contributing bundle, with the identity it is matched by (PDB name, GUID, age; build;
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

    ProfileDescriptor(IConfigurationElement element) throws InvalidContributionException {
        super(element);
        this.id = required("id");
        this.os = optional("os", "windows");
        this.architecture = required("architecture");
        try {
            this.build = Integer.parseInt(optional("build", "0"));
            this.pdbAge = Integer.parseInt(optional("pdbAge", "0"));
        } catch (NumberFormatException e) {
            throw new InvalidContributionException(contributor(), "profile " + id + ": build and pdbAge must be numbers");
        }
        this.pdbName = optional("pdbName", null);
        this.pdbGuid = optional("pdbGuid", null);
        this.file = required("file");
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
     * Reads the profile from the contributing bundle, through the user's {@linkplain ParsedProfiles parsed
     * profiles} so that an ISF read before is not parsed again.
     */
    public Profile load() throws IOException {
        Bundle bundle = ContributorFactoryOSGi.resolve(element().getContributor());
        URL url = bundle == null ? null : bundle.getEntry(file);
        if (url == null) {
            throw new IOException("bundle " + contributor() + " has no file " + file + " (profile " + id + ")");
        }
        byte[] isf;
        try (InputStream in = url.openStream()) {
            isf = in.readAllBytes();
        }
        return ParsedProfiles.userDefault().read(isf, contributor() + "/" + file);
    }
}
