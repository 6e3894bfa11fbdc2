package org.vestige.plugin.profiles;

import java.util.Locale;
import java.util.Optional;

import org.vestige.core.types.ProfileIdentity;
import org.vestige.windows.TcpipSymbols;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Windows build of a driver's symbol table. Volatility 3's tables of drivers made from a PDB alone record
 * no version, and no public list ties tcpip.pdb identities to tcpip.sys versions, so the build is taken, in
 * this order, from the table's own {@code metadata.windows.pe}, or from the family {@link TcpipSymbols} gives
 * the identity (from where its globals lie in the image: {@code data/tcpip-symbols.txt} of org.vestige.windows
 * says how); an identity of no numbered family (tcpip.sys from before build 17763) has no build (0).
 *
 * @since 0.1
 */
final class ModuleVersions {

    private ModuleVersions() {
    }

    /** @return the driver's name from its PDB name: {@code tcpip} for {@code tcpip.pdb} */
    static String moduleName(String pdbName) {
        String n = pdbName.toLowerCase(Locale.ROOT);
        return n.endsWith(".pdb") ? n.substring(0, n.length() - 4) : n;
    }

    /** @return the version the table records, or the build of its family with revision 0, or build 0 */
    static KernelVersions.Version version(JsonNode tree, ProfileIdentity id) {
        if (id.build() != 0) {
            return new KernelVersions.Version(id.major(), id.minor(), id.build(), tree.path("metadata").path("windows")
                    .path("pe").path("revision").asInt(0));
        }
        int build = familyBuild(id).orElse(0);
        return build == 0 ? new KernelVersions.Version(0, 0, 0, 0) : KernelVersions.forBuild(build);
    }

    /** @return how the build of a written driver profile was told, for the bundle's index */
    static String describeBuild(ProfileIdentity id, int build) {
        if (build == 0) {
            return "build not known (the table records no version and its identity is of no numbered family in "
                    + "tcpip-symbols.txt)";
        }
        return familyBuild(id).filter(b -> b == build).isPresent() ? "build " + build + " from the identity's family "
                + "in tcpip-symbols.txt (org.vestige.windows; the table records no version)" : "build " + build
                        + " from the table's metadata";
    }

    private static Optional<Integer> familyBuild(ProfileIdentity id) {
        if (id.guid() == null || !"tcpip.pdb".equalsIgnoreCase(id.pdbName())) {
            return Optional.empty();
        }
        return TcpipSymbols.forIdentity(id.guid(), id.age()).map(TcpipSymbols::family).filter(f -> f.matches(
                "\\d+")).map(Integer::valueOf);
    }
}
