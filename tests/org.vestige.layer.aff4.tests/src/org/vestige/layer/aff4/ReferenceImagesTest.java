package org.vestige.layer.aff4;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.layer.aff4.internal.MapStream;
import org.vestige.testing.TestData;

/**
 * The AFF4 Standard v1.0 reference images (Evimetry) and the Micro7 memory image, against the ground truth of
 * shared/testdata/README.md.
 */
public class ReferenceImagesTest {

    private record Truth(String file, String volume, String image, String map, long size, String sha1) {
    }

    private static final List<Truth> TRUTH = List.of(
            new Truth("Base-Linear.aff4", "aff4://685e15cc-d0fb-4dbc-ba47-48117fc77044",
                    "aff4://cf853d0b-5589-4c7c-8358-2ca1572b87eb", "aff4://fcbfdce7-4488-4677-abf6-08bc931e195b",
                    268435456L, "7d3d27f667f95f7ec5b9d32121622c0f4b60b48d"),
            new Truth("Base-Allocated.aff4", "aff4://ce24a0d0-a540-442a-939e-938b848add9a",
                    "aff4://8fcced2b-989f-4f51-bfa2-38d4a4d818fe", "aff4://e9cd53d3-b682-4f12-8045-86ba50a0239c",
                    268435456L, "e8650e89b262cf0b4b73c025312488d5a6317a26"),
            new Truth("Base-Linear-ReadError.aff4", "aff4://686e3512-b568-48fd-ac7b-73764b98a9aa",
                    "aff4://3a873665-7bf6-47b5-a12a-d6632a58ddf9", "aff4://b282d5f4-333a-4f6a-b96f-0e5138bb18c8",
                    268435456L, "67e245a640e2784ead30c1ff1a3f8d237b58310f"),
            new Truth("Base-Linear-AllHashes.aff4", "aff4://7a86cb01-217c-4852-b8e0-c94be1ca5ac5",
                    "aff4://e8733831-f8fc-4573-87d7-beb7fe708e96", "aff4://2a497fe5-0221-4156-8b4d-176bebf7163f",
                    268435456L, "7d3d27f667f95f7ec5b9d32121622c0f4b60b48d"),
            new Truth("Micro7.001.aff4", "aff4://2ec3bb84-c9fb-4c4e-beba-add19fe60b99",
                    "aff4://1df01c49-a36a-4770-b6e4-1ef4efe0f4b7", "aff4://02928200-4eef-4e8b-b2fb-e8b36f368063",
                    262144L, "deaa3877443908ac4d01ca410ff1012c8ab0db35"));

    @Test
    public void everyImageProbesAsCertain() {
        for (Truth t : TRUTH) {
            ProbeResult p = new Aff4Format().probe(TestData.require("aff4/" + t.file));
            assertEquals(t.file + ": " + p.explanation(), ProbeResult.CERTAIN, p.confidence());
            assertTrue(p.explanation(), p.explanation().contains("information.turtle"));
        }
    }

    @Test
    public void everyAff4FileInTheTestDataOpens() throws Exception {
        Path dir = TestData.require("aff4");
        int opened = 0;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".aff4")).sorted().toList()) {
                try (OpenedEvidence ev = new Aff4Format().open(f)) {
                    assertTrue(f.toString(), ev.physical().size() > 0);
                    assertTrue(f.toString(), ev.properties().containsKey("image"));
                    opened++;
                }
            }
        }
        assertEquals(TRUTH.size(), opened);
    }

    @Test
    public void everyImageOpensWithItsVolumeImageAndMapUrns() throws Exception {
        for (Truth t : TRUTH) {
            try (Aff4Resolver r = Aff4Resolver.open(TestData.require("aff4/" + t.file))) {
                assertEquals(t.file, t.volume, r.volumes().get(0).urn());
                assertEquals(t.file, t.image, r.primaryImage().orElseThrow());
                assertTrue(t.file, r.maps().contains(t.map));
                assertTrue(t.file + " problems: " + r.problems(), r.problems().isEmpty());
                MapStream map = (MapStream) r.stream(t.map);
                assertEquals(t.size, map.size());
                assertEquals(t.size, r.stream(t.image).size());
            }
        }
    }

    @Test
    public void sha1OfEachImageReadThroughItsMapMatchesGroundTruth() throws Exception {
        for (Truth t : TRUTH) {
            try (OpenedEvidence ev = new Aff4Format().open(TestData.require("aff4/" + t.file))) {
                assertEquals(t.file, Aff4Format.ID, ev.formatId());
                assertEquals(t.file, t.size, ev.physical().size());
                assertEquals(t.file, t.sha1, Volumes.sha1(ev.physical()));
            }
        }
    }

    @Test
    public void sha1IsTheSameWithoutCacheOrDecoderThreads() throws Exception {
        Aff4Options bare = new Aff4Options(0, 0, 0);
        for (String f : List.of("Base-Allocated.aff4", "Base-Linear-ReadError.aff4")) {
            Truth t = TRUTH.stream().filter(x -> x.file.equals(f)).findFirst().orElseThrow();
            try (OpenedEvidence ev = new Aff4Format(bare).open(TestData.require("aff4/" + f))) {
                assertEquals(f, t.sha1, Volumes.sha1(ev.physical()));
            }
        }
    }

    @Test
    public void baseLinearHasThePartitionMessageAndThePdf() throws Exception {
        try (OpenedEvidence ev = new Aff4Format().open(TestData.require("aff4/Base-Linear.aff4"))) {
            byte[] b = ev.physical().readBytes(0x163, 17);
            assertEquals("Invalid partition", new String(b, StandardCharsets.US_ASCII));
            List<PageProvenance> prov = new ArrayList<>();
            ev.physical().read(0x163, new byte[17], 0, 17, (a, l, p) -> prov.add(p));
            assertEquals(1, prov.size());
            assertTrue(prov.get(0) instanceof PageProvenance.Evidence);
            long pdf = 0x10000 + 0xfc3000;
            assertEquals("%PDF", new String(ev.physical().readBytes(pdf, 4), StandardCharsets.US_ASCII));
            String tail = new String(ev.physical().readBytes(pdf + 629087 - 8, 8), StandardCharsets.US_ASCII);
            assertTrue(tail, tail.contains("%%EOF"));
        }
    }

    @Test
    public void micro7IsAMemoryImageOf262144BytesWithGapsReportedMissing() throws Exception {
        Path f = TestData.require("aff4/Micro7.001.aff4");
        try (OpenedEvidence ev = new Aff4Format().open(f)) {
            assertEquals(262144L, ev.physical().size());
            assertEquals("memory image", ev.properties().get("kind"));
            assertTrue(ev.backing().isEmpty());
            Map<String, Long> byKind = new LinkedHashMap<>();
            int available = ev.physical().read(0, new byte[262144], 0, 262144, (a, l, p) -> {
                String k = p instanceof PageProvenance.Missing m ? m.reason() : p.kind();
                byKind.merge(k, (long) l, Long::sum);
            });
            // The map records 1024 + 131072 + 8704 bytes of RAM (the aff4:PhysicalMemoryMap entries).
            long missing = byKind.getOrDefault("gap in AFF4 map (aff4:Zero)", 0L);
            assertEquals(262144 - available, missing);
            assertTrue(byKind.toString(), missing > 0);
            assertEquals(new PageProvenance.Missing(new MissingCause.OutsideImage(), "gap in AFF4 map (aff4:Zero)"),
                    ev.physical().provenance(0x500));
            assertTrue(ev.physical().provenance(0x21800 + 16).isAvailable());
        }
    }

    @Test
    public void unreadableAndUnknownRegionsAreMissingWithTheirPatterns() throws Exception {
        try (OpenedEvidence ev = new Aff4Format().open(TestData.require("aff4/Base-Linear-ReadError.aff4"))) {
            long[] first = {-1};
            scan(ev, "unreadable when acquired (aff4:UnreadableData)", first);
            assertTrue("no unreadable region found", first[0] >= 0);
            byte[] b = ev.physical().readBytes(first[0], 64);
            String s = new String(b, StandardCharsets.US_ASCII);
            assertTrue(s, s.contains("UNREADABLEDATA"));
        }
        try (OpenedEvidence ev = new Aff4Format().open(TestData.require("aff4/Base-Allocated.aff4"))) {
            long[] first = {-1};
            scan(ev, "no data recorded for this region (aff4:UnknownData)", first);
            assertTrue("no unknown region found", first[0] >= 0);
            String s = new String(ev.physical().readBytes(first[0], 64), StandardCharsets.US_ASCII);
            assertTrue(s, s.contains("UNKNOWN"));
            assertFalse(ev.physical().provenance(first[0]).isAvailable());
        }
    }

    private static void scan(OpenedEvidence ev, String reason, long[] first) {
        byte[] buf = new byte[1 << 20];
        for (long o = 0; o < ev.physical().size() && first[0] < 0; o += buf.length) {
            ev.physical().read(o, buf, 0, buf.length, (a, l, p) -> {
                if (first[0] < 0 && p instanceof PageProvenance.Missing m && m.reason().equals(reason)) {
                    first[0] = a;
                }
            });
        }
    }
}
