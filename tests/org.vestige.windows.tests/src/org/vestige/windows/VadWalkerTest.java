package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/** VAD trees against the truth on every synthesized build, and a tree with a cycle. */
@RunWith(Parameterized.class)
public class VadWalkerTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public VadWalkerTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    record Key(long node, long start, long end, int protection, int type, boolean priv, long commit, String file) {
    }

    private static List<Key> expected(SynthTruth.Process p) {
        return p.vads().stream().map(v -> new Key(v.node(), v.start(), v.end(), v.protection(), v.vadType(),
                v.privateMemory(), v.commitCharge(), v.fileName())).toList();
    }

    private static List<Key> actual(VadList list) {
        return list.vads().stream().map(v -> new Key(v.node(), v.start(), v.end(), v.protection(), v.vadType(),
                v.privateMemory(), v.commitCharge(), v.file() == null ? null : v.file().orElse(null))).toList();
    }

    @Test
    public void everyProcessTreeIsExactlyTheTruths() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            VadWalker walker = new VadWalker(d.kernel(), d.profile());
            List<SynthTruth.Process> all = new ArrayList<>(d.truth().processes());
            all.addAll(d.truth().terminated());
            int trees = 0;
            int files = 0;
            for (SynthTruth.Process p : all) {
                VadList list = walker.walk(p.eprocess());
                if (p.peb() == 0) {
                    assertEquals(p.name(), List.of(), list.vads());
                    continue;
                }
                trees++;
                assertEquals(p.name() + " " + list.warnings(), List.of(), list.warnings());
                assertEquals(p.name(), expected(p), actual(list));
                for (WinVad v : list.vads()) {
                    if (!v.privateMemory() && v.vadType() == 2) {
                        if (v.file().isPresent()) {
                            files++;
                            assertTrue(v.file().get(), v.file().get().startsWith("\\Windows\\"));
                        } else {
                            assertTrue(v.file().reason(), v.file().reason().startsWith("profile "));
                        }
                    } else {
                        assertNull(v.file());
                    }
                }
                SynthTruth.Module exe = p.modules().get(0);
                WinVad image = list.find(exe.base() + 0x1000);
                assertEquals(exe.base(), image.start());
                // a hollowed process's image range is private PAGE_EXECUTE_READWRITE memory
                boolean hollowed = d.truth().malfind().hollowed().stream().anyMatch(h -> h.pid() == p.pid() && h
                        .kind().equals("private"));
                assertEquals(hollowed ? "PAGE_EXECUTE_READWRITE" : "PAGE_EXECUTE_WRITECOPY", image.protectionName());
                assertEquals(hollowed, image.privateMemory());
            }
            assertTrue(trees >= 10);
            if (d.profile().has("_FILE_OBJECT", "FileName")) {
                assertTrue(files > 20);
            }
        }
    }

    @Test(timeout = 60_000)
    public void cycleIsReportedAndEveryNodeStillFound() throws Exception {
        try (Discovered d = Discovered.of(profileFile, SynthOptions.builder().seed(57 + build).windowsBuild(build).smear(
                SynthOptions.Smear.VAD_CYCLE).build())) {
            SynthTruth.SmearInfo smear = d.truth().smear();
            SynthTruth.Process victim = d.truth().processes().stream().filter(p -> p.pid() == smear.pid())
                    .findFirst().orElseThrow();
            VadList list = new VadWalker(d.kernel(), d.profile()).walk(victim.eprocess());
            assertEquals(expected(victim), actual(list));
            assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains("VAD "
                    + Discovered.hex(smear.structure()) + " Left") && w.contains("cycle")));
        }
    }
}
