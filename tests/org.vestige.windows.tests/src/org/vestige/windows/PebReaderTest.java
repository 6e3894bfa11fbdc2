package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;
import org.vestige.synth.SynthTruth;

/** PEB, process parameters, environment and loader lists against the truth on every synthesized build. */
@RunWith(Parameterized.class)
public class PebReaderTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public PebReaderTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    static List<EnvironmentVariable> environment(String block) {
        List<EnvironmentVariable> out = new ArrayList<>();
        for (String e : block.split("\0")) {
            if (!e.isEmpty()) {
                out.add(EnvironmentVariable.parse(e));
            }
        }
        return out;
    }

    private static List<ModuleWalkerTest.Key> keys(List<SynthTruth.Module> modules) {
        return modules.stream().map(m -> new ModuleWalkerTest.Key(m.name(), m.path(), m.base(), m.size())).toList();
    }

    private static List<ModuleWalkerTest.Key> keysOf(List<WinModule> modules) {
        return modules.stream().map(m -> new ModuleWalkerTest.Key(m.baseName().get(), m.fullName().get(), m.base(),
                m.size())).toList();
    }

    @Test
    public void everyProcessReadsAsPlaced() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            int checked = 0;
            int pagedOut = 0;
            for (SynthTruth.Process t : d.truth().processes()) {
                if (t.peb() == 0) {
                    continue;
                }
                PebReader peb = new PebReader(d.process(t), d.profile());
                ProcessEnvironment env = peb.read(t.peb());
                assertEquals(t.name(), Long.valueOf(t.imageBase()), env.imageBase().get());
                assertEquals(t.commandLine(), env.commandLine().get());
                assertEquals(t.modules().get(0).path(), env.imagePath().get());
                if (t.currentDirectory() != null) {
                    assertEquals(t.currentDirectory(), env.currentDirectory().get());
                }
                if (t.environmentPagefileOffset() >= 0) {
                    pagedOut++;
                    assertFalse(env.environment().isPresent());
                    assertTrue(env.environment().reason(), env.environment().reason().contains(
                            "paged out to pagefile.sys (slot 0) at offset " + Discovered.hex(t
                                    .environmentPagefileOffset())));
                } else {
                    assertEquals(environment(t.environment()), env.environment().get());
                }
                for (ModuleWalker.Order order : new ModuleWalker.Order[] {ModuleWalker.Order.LOAD,
                    ModuleWalker.Order.MEMORY}) {
                    ModuleList list = peb.modules(t.peb(), order).get();
                    assertEquals(list.warnings().toString(), List.of(), list.warnings());
                    assertEquals(t.name() + " " + order, keys(t.modules()), keysOf(list.modules()));
                }
                if (d.profile().has("_PEB_LDR_DATA", "InInitializationOrderModuleList")) {
                    assertEquals(keys(t.modules().subList(1, t.modules().size())), keysOf(peb.modules(t.peb(),
                            ModuleWalker.Order.INITIALIZATION).get().modules()));
                }
                checked++;
            }
            assertTrue(checked >= 10);
            assertEquals(1, pagedOut);
        }
    }

    @Test
    public void pagedOutEnvironmentReadsOnceThePagefileIsGiven() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build);
                FileLayer pagefile = FileLayer.open(d.out.pagefile(), "pagefile.sys")) {
            SynthTruth.Process t = d.truth().processes().stream().filter(p -> p.environmentPagefileOffset() >= 0)
                    .findFirst().orElseThrow();
            X64Translator tr = new X64Translator(d.physical, d.kernel().translator().layout(), d.truth().dtb());
            tr.register(store(pagefile));
            ProcessEnvironment env = new PebReader(tr.layer(t.name(), t.dtb()), d.profile()).read(t.peb());
            assertEquals(environment(t.environment()), env.environment().get());
        }
    }

    @Test
    public void processWithoutPebSaysSo() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            ProcessEnvironment env = new PebReader(d.kernel(), d.profile()).read(0);
            assertEquals("the process has no PEB", env.commandLine().reason());
            assertEquals("missing: the process has no PEB", env.environment().display());
        }
    }

    static BackingStore store(FileLayer file) {
        return new BackingStore() {
            @Override
            public String name() {
                return "pagefile.sys";
            }

            @Override
            public int slot() {
                return 0;
            }

            @Override
            public PageProvenance readPage(long pageOffset, byte[] buffer, int offset) {
                if (file.read(pageOffset, buffer, offset, 4096) != 4096) {
                    return new PageProvenance.Missing(new MissingCause.OutsideImage(), "beyond the end of pagefile.sys");
                }
                return new PageProvenance.Pagefile(0, pageOffset, "pagefile.sys");
            }
        };
    }
}
