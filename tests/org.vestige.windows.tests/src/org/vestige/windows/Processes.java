package org.vestige.windows;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.vestige.synth.SynthTruth;

/** Compares processes as whole sets of (pid, ppid, name, create time, _EPROCESS). */
final class Processes {

    record Key(long pid, long ppid, String name, Instant created, long eprocess) {
    }

    private Processes() {
    }

    static Set<Key> expected(List<SynthTruth.Process> truth) {
        return truth.stream().map(p -> new Key(p.pid(), p.ppid(), p.name(), p.createTime(), p.eprocess()))
                .collect(Collectors.toSet());
    }

    static Set<Key> actual(List<WinProcess> found) {
        return found.stream().map(p -> new Key(p.pid(), p.ppid(), p.name(), p.createTime(), p.eprocess()))
                .collect(Collectors.toSet());
    }
}
