package org.vestige.fleet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fleet job in Spark local mode over four synthesized images of different builds (one of them running a
 * process no other runs) and one corrupt file: pslist, dlllist and hivelist read back from Parquet equal each
 * image's truth, the corrupt case is one row with its reason, and stacking finds the process only one machine runs.
 * Needs the product the reactor builds; skipped, saying so, when it has not been built.
 */
public class FleetJobTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The process planted on one machine only. */
    private static final String ODD = "odd.exe";
    private static final Map<String, Integer> BUILDS = Map.of("win7", 7601, "win10-1809", 17763, "win10-2004", 19041,
            "win11", 22000);
    private static final String ODD_CASE = "win11";
    private static final String CORRUPT = "corrupt";
    private static final List<String> ANALYSES = List.of("windows.pslist", "windows.dlllist",
            "windows.registry.hivelist");

    private static SparkSession spark;
    private static Path output;
    private static List<CaseReport> reports;
    private static final Map<String, JsonNode> TRUTH = new HashMap<>();
    private static final Map<String, String> SHA256 = new HashMap<>();

    @BeforeClass
    public static void runTheFleet() throws Exception {
        String product = System.getProperty("vestige.product", "");
        boolean built = !product.isEmpty() && Files.isExecutable(Paths.get(product));
        if (!built) {
            System.err.println("FleetJobTest skipped: the vestige product is not built at '" + product
                    + "' (run the whole reactor: ./mvnw verify)");
        }
        Assume.assumeTrue("the vestige product is not built at '" + product + "'", built);
        List<String> manifest = new ArrayList<>(List.of("case_id,image,pagefile"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<Path>> images = new HashMap<>();
            int seed = 1;
            for (Map.Entry<String, Integer> e : BUILDS.entrySet()) {
                Path dir = tmp.newFolder(e.getKey()).toPath();
                List<String> extra = e.getKey().equals(ODD_CASE) ? List.of("--extra-process", ODD) : List.of();
                int s = seed++;
                images.put(e.getKey(), pool.submit(() -> synthesize(product, dir, e.getValue(), s, extra)));
            }
            for (Map.Entry<String, Future<Path>> e : images.entrySet()) {
                Path dir = e.getValue().get(5, TimeUnit.MINUTES);
                TRUTH.put(e.getKey(), JSON.readTree(dir.resolve("truth.json").toFile()));
                SHA256.put(e.getKey(), sha256(dir.resolve("image.raw")));
                manifest.add(e.getKey() + "," + dir.resolve("image.raw") + "," + dir.resolve("pagefile.sys"));
            }
        } finally {
            pool.shutdownNow();
        }
        Path corrupt = tmp.newFile("corrupt.dmp").toPath();
        byte[] bytes = new byte[64 * 1024];
        System.arraycopy("PAGEDU64".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 8);
        Files.write(corrupt, bytes);
        manifest.add(CORRUPT + "," + corrupt + ",");

        output = tmp.newFolder("out").toPath();
        List<List<String>> analyses = ANALYSES.stream().map(List::of).toList();
        spark = FleetJob.session("fleet-test", "local[2]");
        reports = new FleetRun(spark, new FleetSettings(product, analyses, output.toString(), 10, "-Xmx768m", null))
                .run(Manifest.parse(manifest));
    }

    @AfterClass
    public static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Path synthesize(String product, Path dir, int build, int seed, List<String> extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(product, "-q", "-o", dir.toString(), "synth", "--profile",
                String.valueOf(build), "--seed", String.valueOf(seed), "--size-mib", "128", "--hives"));
        command.addAll(extra);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("synth.log")
                .toFile()).start();
        assertTrue("synth of " + build + " did not end", p.waitFor(5, TimeUnit.MINUTES));
        assertEquals("synth of " + build + ": " + Files.readString(dir.resolve("synth.log")), 0, p.exitValue());
        return dir;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0;) {
                d.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** @return the dataset's rows of every case, each made a comparable key, by case id */
    private static Map<String, Set<String>> dataset(String name, Function<Row, String> key) {
        Map<String, Set<String>> out = new HashMap<>();
        for (Row r : spark.read().parquet(output.resolve(name).toString()).collectAsList()) {
            out.computeIfAbsent(r.getAs(ResultRows.CASE_ID), k -> new HashSet<>()).add(key.apply(r));
        }
        return out;
    }

    /** @return the truth's entries of every image, each made a comparable key, by case id */
    private static Map<String, Set<String>> truth(Function<JsonNode, List<String>> keys) {
        Map<String, Set<String>> out = new HashMap<>();
        TRUTH.forEach((id, t) -> out.put(id, new HashSet<>(keys.apply(t))));
        return out;
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.substring(2), 16);
    }

    @Test
    public void pslistEqualsTheTruthOfEveryImage() {
        Map<String, Set<String>> expected = truth(t -> {
            List<String> keys = new ArrayList<>();
            t.get("processes").forEach(p -> keys.add(p.get("pid").asLong() + "/" + p.get("ppid").asLong() + "/"
                    + p.get("name").asText()));
            return keys;
        });
        assertEquals(expected, dataset("windows.pslist", r -> r.<Long>getAs("PID") + "/" + r.<Long>getAs("PPID") + "/"
                + r.getAs("ImageFileName")));
        assertTrue(expected.get(ODD_CASE).stream().anyMatch(k -> k.endsWith("/" + ODD)));
    }

    @Test
    public void dlllistEqualsTheTruthOfEveryImage() {
        Map<String, Set<String>> expected = truth(t -> {
            List<String> keys = new ArrayList<>();
            t.get("processes").forEach(p -> p.get("modules").forEach(m -> keys.add(p.get("pid").asLong() + "/"
                    + hex(m.get("base").asText()) + "/" + m.get("path").asText())));
            return keys;
        });
        assertEquals(expected, dataset("windows.dlllist", r -> r.<Long>getAs("PID") + "/" + hex(r.getAs("Base")) + "/"
                + r.getAs("Path")));
    }

    @Test
    public void hivelistEqualsTheTruthOfEveryImage() {
        Map<String, Set<String>> expected = truth(t -> {
            List<String> keys = new ArrayList<>();
            t.get("hives").get("hives").forEach(h -> keys.add(hex(h.get("cmhive").asText()) + "/"
                    + h.get("fileFullPath").asText()));
            return keys;
        });
        assertEquals(expected, dataset("windows.registry.hivelist", r -> hex(r.getAs("Offset(V)")) + "/"
                + r.getAs("FileFullPath")));
    }

    @Test
    public void everyCaseIsOneRowAndTheCorruptOneSaysWhy() {
        Map<String, Row> cases = new HashMap<>();
        for (Row r : spark.read().parquet(output.resolve(FleetRun.CASES).toString()).collectAsList()) {
            assertNull("one row per case", cases.put(r.getAs(ResultRows.CASE_ID), r));
        }
        assertEquals(BUILDS.size() + 1, cases.size());
        BUILDS.forEach((id, build) -> {
            Row r = cases.get(id);
            assertNull(id + ": " + r.getAs("error"), r.getAs("error"));
            assertEquals(build, r.getAs("build"));
            assertEquals("complete", r.getAs("discovery"));
            assertEquals(SHA256.get(id), r.getAs(ResultRows.IMAGE_SHA256));
            assertTrue(r.<String>getAs("kernel_pdb").startsWith("ntkrnlmp.pdb "));
            assertEquals(0, (int) r.<Integer>getAs("exit_code"));
        });
        Row corrupt = cases.get(CORRUPT);
        String error = corrupt.getAs("error");
        assertTrue(error, error.startsWith("evidence error: ") && error.contains("recognised but damaged"));
        assertEquals(3, (int) corrupt.<Integer>getAs("exit_code"));
        assertNull(corrupt.getAs(ResultRows.IMAGE_SHA256));
        long corruptRows = spark.read().parquet(output.resolve("windows.pslist").toString()).where(
                ResultRows.CASE_ID + " = '" + CORRUPT + "'").count();
        assertEquals("the corrupt case has no rows", 0, corruptRows);
        Row diagnostic = spark.read().parquet(output.resolve(CaseRunner.DIAGNOSTICS).toString()).where(
                ResultRows.CASE_ID + " = '" + CORRUPT + "'").first();
        assertEquals("error", diagnostic.getAs("severity"));
        assertEquals(reports.size(), cases.size());
    }

    @Test
    public void rowsCarryTheImageDigestAndTypedColumns() {
        Row r = spark.read().parquet(output.resolve("windows.pslist").toString()).where(ResultRows.CASE_ID
                + " = 'win7'").first();
        assertEquals(SHA256.get("win7"), r.getAs(ResultRows.IMAGE_SHA256));
        assertTrue("PID is a number column", r.getAs("PID") instanceof Long);
        assertTrue("Offset(V) keeps the JSON rendering's 0x text", r.<String>getAs("Offset(V)").startsWith("0x"));
    }

    @Test
    public void stackingFindsTheProcessOnlyOneMachineRuns() {
        Stacking stacking = new Stacking(spark, output.toString());
        Set<String> single = new HashSet<>();
        for (Row r : stacking.processNames().collectAsList()) {
            if (r.<Long>getAs("machines") == 1) {
                single.add(r.getAs("name"));
            }
        }
        assertEquals(Set.of(ODD), single);
        List<String> pairs = stacking.unusualParents(1).collectAsList().stream().map(r -> r.getAs("parent") + " > "
                + r.getAs("child") + " " + r.getList(3)).toList();
        assertTrue(pairs.toString(), pairs.contains("explorer.exe > " + ODD + " [" + ODD_CASE + "]"));
    }
}
