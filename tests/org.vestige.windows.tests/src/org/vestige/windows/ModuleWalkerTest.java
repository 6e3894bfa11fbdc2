package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/** PsLoadedModuleList against the truth on every synthesized build, and a smeared list. */
@RunWith(Parameterized.class)
public class ModuleWalkerTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public ModuleWalkerTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    record Key(String name, String path, long base, long size) {
    }

    static Set<Key> expected(List<SynthTruth.Module> modules) {
        return modules.stream().map(m -> new Key(m.name(), m.path(), m.base(), m.size())).collect(Collectors.toSet());
    }

    static Set<Key> actual(List<WinModule> modules) {
        return modules.stream().map(m -> new Key(m.baseName().get(), m.fullName().get(), m.base(), m.size()))
                .collect(Collectors.toSet());
    }

    @Test
    public void kernelModulesAreExactlyTheTruths() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            ModuleList list = ModuleWalker.kernel(d.kernel(), d.profile()).walk(d.discovery.psLoadedModuleList());
            assertEquals(list.warnings().toString(), List.of(), list.warnings());
            assertEquals(expected(d.truth().kernelModules()), actual(list.modules()));
            assertEquals("ntoskrnl.exe", list.modules().get(0).baseName().get());
            assertEquals(d.truth().kernelBase(), list.modules().get(0).base());
        }
    }

    @Test(timeout = 60_000)
    public void brokenFlinkIsReportedAndTheRestRecovered() throws Exception {
        try (Discovered d = Discovered.of(profileFile, SynthOptions.builder().seed(31 + build).windowsBuild(build).smear(
                SynthOptions.Smear.MODULE_BROKEN_FLINK).build())) {
            ModuleList list = ModuleWalker.kernel(d.kernel(), d.profile()).walk(d.discovery.psLoadedModuleList());
            assertEquals(expected(d.truth().kernelModules()), actual(list.modules()));
            long entry = d.truth().smear().structure();
            assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains(Discovered.hex(
                    entry)) && w.contains("Flink") && w.contains("not readable")));
        }
    }
}
