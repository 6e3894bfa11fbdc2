package org.vestige.windows;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/** Translation of known addresses and of invalid PTEs of every kind, through the profile's PTE layout. */
public class X64LayerTest {

    private static final String[] PROFILES = {SynthImages.WIN10_19041, SynthImages.WIN7_7601,
        SynthImages.WIN11_26100};
    private static final int[] BUILDS = {19041, 7601, 26100};

    @Test
    public void knownAddressesTranslate() throws Exception {
        for (int i = 0; i < PROFILES.length; i++) {
            ImageSynthesizer.Output out = SynthImages.image(PROFILES[i], SynthOptions.builder().seed(1000 + BUILDS[i]).windowsBuild(BUILDS[i]).build());
            Profile p = SynthImages.profile(PROFILES[i]);
            try (FileLayer physical = SynthImages.open(out)) {
                X64Layer k = X64Layer.kernel(physical, PteLayout.from(p), out.truth().dtb());
                for (SynthTruth.Translation t : out.truth().translations()) {
                    assertEquals(t.what(), t.pa(), k.translate(t.va()));
                    assertEquals(t.what(), new PageProvenance.Physical(t.pa()), k.provenance(t.va()));
                }
                assertTrue(out.truth().translations().stream().anyMatch(t -> t.pageSize() == 1L << 30));
            }
        }
    }

    @Test
    public void invalidPtesDecodeByTheProfilesLayout() throws Exception {
        for (int i = 0; i < PROFILES.length; i++) {
            ImageSynthesizer.Output out = SynthImages.image(PROFILES[i], SynthOptions.builder().seed(1000 + BUILDS[i]).windowsBuild(BUILDS[i]).build());
            Profile p = SynthImages.profile(PROFILES[i]);
            try (FileLayer physical = SynthImages.open(out); FileLayer pagefile = FileLayer.open(out.pagefile(),
                    "pagefile.sys")) {
                X64Translator tr = new X64Translator(physical, PteLayout.from(p), out.truth().dtb());
                for (ImageSynthesizer.PteSample s : out.pteSamples()) {
                    X64Layer proc = tr.layer("pid " + s.pid(), s.dtb());
                    List<PageProvenance> seen = new ArrayList<>();
                    byte[] b = new byte[16];
                    proc.read(s.va(), b, 0, 16, (a, l, prov) -> seen.add(prov));
                    assertEquals(s.kind() + " " + seen, 1, seen.size());
                    PageProvenance prov = seen.get(0);
                    switch (s.kind()) {
                        case "transition" -> assertEquals(new PageProvenance.Transition(s.pa()), prov);
                        case "prototype" -> assertEquals(new PageProvenance.Physical(s.pa()), prov);
                        case "demand-zero" -> assertEquals(new PageProvenance.DemandZero(), prov);
                        case "pagefile" -> {
                            PageProvenance.Missing m = (PageProvenance.Missing) prov;
                            assertEquals("paged out to pagefile.sys (slot 0) at offset 0x" + Long.toHexString(s
                                    .fileOffset()), m.reason());
                            assertEquals(new MissingCause.PagedOut(0, s.fileOffset()), m.cause());
                        }
                        default -> throw new AssertionError(s.kind());
                    }
                    if (!s.kind().equals("pagefile")) {
                        assertArrayEquals(s.kind(), s.marker(), b);
                    }
                }
                tr.register(store(pagefile));
                for (ImageSynthesizer.PteSample s : out.pteSamples()) {
                    if (s.kind().equals("pagefile")) {
                        List<PageProvenance> seen = new ArrayList<>();
                        byte[] b = new byte[16];
                        int got = tr.layer("p", s.dtb()).read(s.va() + 4, b, 0, 12, (a, l, prov) -> seen.add(prov));
                        assertEquals(12, got);
                        assertEquals(List.of(new PageProvenance.Pagefile(0, s.fileOffset() + 4, "pagefile.sys")), seen);
                        assertArrayEquals(Arrays.copyOfRange(s.marker(), 4, 16), Arrays.copyOf(b, 12));
                    }
                }
            }
        }
    }

    @Test
    public void readsAcrossPagesReportRunsInOrder() throws Exception {
        ImageSynthesizer.Output out = SynthImages.image(SynthImages.WIN10_19041, SynthOptions.builder().seed(1000 + 19041).windowsBuild(19041).build());
        Profile p = SynthImages.profile(SynthImages.WIN10_19041);
        try (FileLayer physical = SynthImages.open(out)) {
            X64Translator tr = new X64Translator(physical, PteLayout.from(p), out.truth().dtb());
            ImageSynthesizer.PteSample first = out.pteSamples().get(0);
            X64Layer proc = tr.layer("p", first.dtb());
            List<String> kinds = new ArrayList<>();
            long[] next = {first.va() - 0x1000};
            byte[] b = new byte[0x7000];
            proc.read(first.va() - 0x1000, b, 0, b.length, (a, l, prov) -> {
                assertEquals(next[0], a);
                next[0] += l;
                kinds.add(prov.kind());
            });
            assertEquals(first.va() + 0x6000, next[0]);
            // unmapped, transition, demand zero, two paged-out pages (different offsets), prototype, unmapped
            assertEquals(List.of("missing", "transition", "demand-zero", "missing", "missing", "ram", "missing"), kinds);
        }
    }

    @Test
    public void missingPhysicalMemoryIsReportedNotThrown() throws Exception {
        ImageSynthesizer.Output out = SynthImages.image(SynthImages.WIN10_19041, SynthOptions.builder().seed(1000 + 19041).windowsBuild(19041).build());
        try (FileLayer physical = SynthImages.open(out)) {
            X64Layer k = X64Layer.kernel(physical, PteLayout.provisional(), physical.size() + 0x1000);
            PageProvenance prov = k.provenance(0xFFFFF78000000000L);
            assertTrue(prov.toString(), prov instanceof PageProvenance.Missing m && m.reason().contains(
                    "not in the image"));
            PageProvenance nc = k.provenance(0x0000900000000000L);
            assertTrue(nc.toString(), nc instanceof PageProvenance.Missing m && m.reason().contains("non-canonical"));
        }
    }

    private static BackingStore store(FileLayer file) {
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
                    return new PageProvenance.Missing(new MissingCause.OutsideImage(), "beyond pagefile.sys");
                }
                return new PageProvenance.Pagefile(0, pageOffset, "pagefile.sys");
            }
        };
    }

}
