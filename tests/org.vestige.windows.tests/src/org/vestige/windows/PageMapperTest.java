package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.PageProvenance;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthTruth;

/** memmap against every user page-table entry the synthesizer wrote, on every synthesized build. */
@RunWith(Parameterized.class)
public class PageMapperTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public PageMapperTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    @Test
    public void everyUserEntryIsEnumeratedWithItsProvenance() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            List<SynthTruth.Process> all = new ArrayList<>(d.truth().processes());
            all.addAll(d.truth().terminated());
            long frame = d.kernel().translator().layout().frameMask();
            int nonResident = 0;
            for (SynthTruth.Process p : all) {
                if (p.peb() == 0) {
                    continue;
                }
                SortedMap<Long, Long> expected = d.out.userPtes().get(p.dtb());
                Map<Long, MappedPage> seen = new HashMap<>();
                List<Long> order = new ArrayList<>();
                new PageMapper(d.process(p)).forEachUserPage(page -> {
                    seen.put(page.va(), page);
                    order.add(page.va());
                    return true;
                });
                assertEquals(p.name(), expected.keySet(), seen.keySet());
                assertEquals(new ArrayList<>(expected.keySet()), order);
                for (Map.Entry<Long, Long> e : expected.entrySet()) {
                    MappedPage m = seen.get(e.getKey());
                    assertEquals((long) e.getValue(), m.entry());
                    if ((e.getValue() & 1) != 0) {
                        assertEquals(new PageProvenance.Physical(e.getValue() & frame), m.provenance());
                    } else {
                        nonResident++;
                    }
                }
                if (p.environmentPagefileOffset() >= 0) {
                    MappedPage env = seen.values().stream().filter(m -> m.provenance() instanceof PageProvenance
                            .Missing miss && miss.reason().contains("at offset " + Discovered.hex(p
                                    .environmentPagefileOffset()))).findFirst().orElseThrow();
                    assertEquals(4096, env.size());
                }
            }
            for (ImageSynthesizer.PteSample s : d.out.pteSamples()) {
                MappedPage[] m = new MappedPage[1];
                new PageMapper(d.kernel().translator().layer("p", s.dtb())).forEach(s.va(), s.va() + 1, page -> {
                    m[0] = page;
                    return true;
                });
                String kind = switch (s.kind()) {
                    case "prototype" -> "ram";
                    case "pagefile" -> "missing";
                    default -> s.kind();
                };
                assertEquals(s.kind(), kind, m[0].provenance().kind());
            }
            assertTrue(nonResident >= 6);
        }
    }
}
