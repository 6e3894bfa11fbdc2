package org.vestige.plugin.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.registry.Hive;
import org.vestige.registry.credentials.LsaSecrets;
import org.vestige.registry.credentials.SamHashes;

/**
 * Hive files given with {@code --hive}, opened read-only and recognised by what they hold (a
 * SYSTEM hive has {@code Select}, a SAM hive {@code SAM\Domains\Account}, a SECURITY hive
 * {@code Policy\Secrets}), not by their names.
 */
final class HiveFiles implements AutoCloseable {

    record Named(Path path, Hive hive) {
    }

    private final List<Named> hives = new ArrayList<>();

    static HiveFiles open(AnalysisContext context) throws AnalysisException {
        HiveFiles files = new HiveFiles();
        for (Path p : context.options().all("hive", Path.class)) {
            try {
                files.hives.add(new Named(p, Hive.open(p)));
            } catch (IOException | RuntimeException e) {
                files.close();
                throw new AnalysisException("cannot open hive " + p + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    List<Named> all() {
        return hives;
    }

    Optional<Named> system() {
        return find("Select");
    }

    Optional<Named> sam() {
        return find(SamHashes.ACCOUNT_KEY);
    }

    Optional<Named> security() {
        return find(LsaSecrets.SECRETS);
    }

    Named require(Optional<Named> hive, String what) throws AnalysisException {
        return hive.orElseThrow(() -> new AnalysisException("none of the hives given (" + hives.stream().map(
                h -> h.path().getFileName().toString()).toList() + ") is a " + what + " hive; give it with --hive"));
    }

    private Optional<Named> find(String keyPath) {
        return hives.stream().filter(h -> {
            try {
                return h.hive().findKey(keyPath).isPresent();
            } catch (RuntimeException e) {
                return false;
            }
        }).findFirst();
    }

    @Override
    public void close() {
        hives.forEach(h -> h.hive().close());
    }
}
