package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.synth.FileTruth;

/**
 * Every file section the synthesizer laid out, read through {@link ControlAreas} and {@link MappedSection} on
 * every build: its subsections, and each page from its prototype PTE with the source the truth names —
 * resident and transition pages byte-exact, paging-file pages paged out to the slot and offset recorded (no
 * store is supplied here), pages only in the file named by file and offset. Damaged subsection chains — a
 * loop, a subsection that does not point back at its control area, a wild prototype array — are warnings
 * naming the subsection, and the rest of the section is still read.
 */
@RunWith(Parameterized.class)
public class ControlAreasTest {

    @Parameters(name = "build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profile;
    private final int build;

    public ControlAreasTest(String profile, int build) {
        this.profile = profile;
        this.build = build;
    }

    private static FileTruth sections(Discovered d) {
        FileTruth f = d.truth().files();
        assumeTrue("build " + d.truth().build() + " has no file sections: " + f.skipped(), !f.sections().isEmpty());
        return f;
    }

    @Test(timeout = 120_000)
    public void everyPageReadsFromWhereTheTruthPutIt() throws Exception {
        try (Discovered d = Discovered.of(profile, build)) {
            ControlAreas areas = new ControlAreas(d.kernel(), d.profile());
            for (FileTruth.Section s : sections(d).sections()) {
                List<String> warnings = new ArrayList<>();
                MappedSection m = areas.section(s.controlArea(), s.image(), s.name(), warnings).get();
                assertEquals(List.of(), warnings);
                assertEquals(s.name(), 2, m.runs().size());
                assertEquals(s.name(), s.size(), m.size());
                for (FileTruth.SectionPage p : s.pages()) {
                    byte[] page = new byte[4096];
                    PageProvenance[] seen = new PageProvenance[1];
                    int got = m.read(p.offset(), page, 0, page.length, (a, l, prov) -> seen[0] = prov);
                    String where = s.name() + " page " + Discovered.hex(p.offset()) + ": " + seen[0];
                    switch (p.source()) {
                        case "ram" -> assertEquals(where, new PageProvenance.Physical(p.where()), seen[0]);
                        case "transition" -> assertEquals(where, new PageProvenance.Transition(p.where()), seen[0]);
                        case "pagefile" -> assertEquals(where, new MissingCause.PagedOut(0, p.where()),
                                ((PageProvenance.Missing) seen[0]).cause());
                        case "file" -> assertEquals(where, new MissingCause.InFile(s.name(), p.offset()),
                                ((PageProvenance.Missing) seen[0]).cause());
                        default -> throw new AssertionError(where + ": no store in these images holds " + p.source());
                    }
                    if (p.source().equals("ram") || p.source().equals("transition")) {
                        assertEquals(where, 4096, got);
                        assertEquals(where, p.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(page)));
                    } else {
                        assertEquals(where, 0, got);
                    }
                }
            }
        }
    }

    @Test(timeout = 120_000)
    public void damagedSubsectionChainsAreWarningsNamingTheSubsection() throws Exception {
        try (Discovered d = Discovered.of(profile, build)) {
            FileTruth.Section s = sections(d).sections().get(0);
            X64Layer kernel = d.kernel();
            long first = s.controlArea() + d.profile().requireStruct("_CONTROL_AREA").size();
            long next = d.profile().offset("_SUBSECTION", "NextSubsection");
            long back = d.profile().offset("_SUBSECTION", "ControlArea");
            long base = d.profile().offset("_SUBSECTION", "SubsectionBase");
            long second = new MemoryReader(kernel).qword(first + next, "NextSubsection").get();

            // the second subsection leads back to the first
            MappedSection looped = read(d, s, new TokenReaderTest.Patched(d.physical).qword(kernel.translate(second
                    + next), first), "subsection chain loops back to " + Discovered.hex(first));
            assertEquals(s.size(), looped.size());

            // the second subsection belongs to another control area: the first is still read
            MappedSection stranger = read(d, s, new TokenReaderTest.Patched(d.physical).qword(kernel.translate(second
                    + back), 0xFFFF_8000_1234_5000L), "subsection " + Discovered.hex(second)
                            + " points at control area 0xffff800012345000");
            assertEquals(1, stranger.runs().size());

            // the first subsection's prototype PTEs are at a user address: left out, the second still read
            MappedSection wild = read(d, s, new TokenReaderTest.Patched(d.physical).qword(kernel.translate(first
                    + base), 0x4141_0000L), "subsection " + Discovered.hex(first)
                            + " has a prototype PTE array at 0x41410000");
            assertEquals(1, wild.runs().size());
            assertEquals(second, wild.runs().get(0).subsection());
        }
    }

    /** Reads the section through a kernel address space over {@code physical}, expecting one warning. */
    private static MappedSection read(Discovered d, FileTruth.Section s, TokenReaderTest.Patched physical,
            String warning) {
        X64Layer kernel = X64Layer.kernel(physical, d.kernel().translator().layout(), d.kernel().dtb());
        List<String> warnings = new ArrayList<>();
        MappedSection m = new ControlAreas(kernel, d.profile()).section(s.controlArea(), s.image(), s.name(),
                warnings).get();
        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains(warning));
        return m;
    }
}
