package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.cli.Cli;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.Profile;
import org.vestige.synth.HiveMemoryWriter.HivePlacement;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.ServiceTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;
import org.vestige.windows.ProcessLayers;
import org.vestige.windows.ServiceLayout;
import org.vestige.windows.ServiceRecord;
import org.vestige.windows.X64Layer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.svcscan} through the vestige command on every synthesized build: the whole result (every
 * service, every column) against the synthesizer's truth in JSON, text and CSV, with the service only in memory
 * and the one only in the registry flagged (the installed 26100 profile cannot list hives: there the result
 * says the comparison was not possible and why); a paged-out page of records read only with the pagefile; and
 * damaged records (a wild string pointer, a list that loops) named by address while the rest is listed.
 */
@RunWith(Parameterized.class)
public class SvcScanTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final String profileId;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public SvcScanTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
        SynthOptions.Builder options = SynthOptions.builder().seed(35).windowsBuild(build);
        if (build != 26100) {
            // the installed 26100 profile has no CmpHiveListHead: its hives could not be listed
            options.hives(HivePlacement.RESIDENT);
        }
        this.image = SynthesizedImages.installed(profileId, options.build());
        this.truth = image.truth();
    }

    private static Cli.Invocation run(Path image, String... args) {
        String[] all = new String[4 + args.length];
        System.arraycopy(new String[] {"-f", image.toString(), "--no-hash", "-q"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        Cli.Invocation o = WindowsAnalysesTest.vestige(all);
        assertEquals(o.err(), 0, o.exitCode());
        return o;
    }

    private Cli.Invocation withPagefile(Path image, String... args) {
        String[] all = new String[2 + args.length];
        all[0] = "--pagefile";
        all[1] = this.image.pagefile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(image, all);
    }

    private ServiceTruth services() {
        ServiceTruth s = truth.services();
        assertEquals(s.skipped(), null, s.skipped());
        return s;
    }

    private static final String NA = "(unavailable)";

    /** Every service of the truth as its row shows it. */
    private static Set<String> expected(ServiceTruth truth) {
        Set<String> out = new HashSet<>();
        for (ServiceTruth.Service s : truth.services()) {
            String registry = !truth.hives() ? NA : s.inMemory() && s.inRegistry() ? "both" : s.inMemory()
                    ? "memory only" : "registry only";
            String image = s.imagePath() != null ? s.imagePath() : NA;
            if (!s.inMemory()) {
                out.add(String.join("|", NA, NA, NA, s.name(), s.displayName(), ServiceRecord.typeName(s.type()),
                        ServiceRecord.startName(s.start()), NA, NA, image, registry));
                continue;
            }
            out.add(String.join("|", "0x" + Long.toHexString(s.record()), String.valueOf(s.order()), s.pid() >= 0
                    ? String.valueOf(s.pid()) : NA, s.name(), s.displayName(), ServiceRecord.typeName(s.type()),
                    ServiceRecord.startName(s.start()), ServiceRecord.stateName(s.state()), s.binaryPath() != null ? s
                            .binaryPath() : NA, image, registry));
        }
        return out;
    }

    private static final String[] COLUMNS = {"Offset", "Order", "PID", "ServiceName", "DisplayName", "Type",
        "Start", "State", "BinaryPath", "ImagePath", "Registry"};

    private static Set<String> actual(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : COLUMNS) {
                cells.add(r.get(c).isObject() ? NA : r.get(c).asText());
            }
            out.add(String.join("|", cells));
        }
        return out;
    }

    @Test
    public void everyServiceInJsonTextAndCsvWithTheOnesInOnlyOnePlaceFlagged() {
        ServiceTruth s = services();
        assertTrue(s.services().size() >= 9);
        Cli.Invocation o = withPagefile(image.image(), "windows.svcscan", "-r", "json");
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(expected(s), actual(rows));
        assertEquals(s.services().size(), rows.size());
        if (s.hives()) {
            ServiceTruth.Service memoryOnly = s.services().stream().filter(x -> x.inMemory() && !x.inRegistry())
                    .findFirst().orElseThrow();
            ServiceTruth.Service registryOnly = s.services().stream().filter(x -> !x.inMemory() && x.inRegistry())
                    .findFirst().orElseThrow();
            assertTrue(s.services().stream().filter(x -> x.inMemory() && x.inRegistry()).count() > 40);
            assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains(memoryOnly.name()) && l.contains(
                    "not in SYSTEM\\ControlSet001\\Services") && l.contains("0x" + Long.toHexString(memoryOnly
                            .record()))));
            assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains(registryOnly.name()) && l.contains(
                    "but not in services.exe's memory")));
        } else {
            assertTrue(o.err(), o.err().contains("were not compared with the registry"));
            assertTrue(rows.get(0).get("Registry").toString(), rows.get(0).get("Registry").get("unavailable")
                    .asText().contains("not compared"));
        }
        String text = withPagefile(image.image(), "windows.svcscan").out();
        assertEquals(rows.size() + 1, text.split("\n").length);
        String[] csv = withPagefile(image.image(), "windows.svcscan", "-r", "csv").out().split("\r?\n");
        assertEquals("Depth," + String.join(",", COLUMNS), csv[0]);
        assertEquals(rows.size() + 1, csv.length);
    }

    @Test
    public void withoutThePagefileThePagedOutRecordIsNamedWithWhereItIs() {
        ServiceTruth s = services();
        long page = s.pagedOut().keySet().iterator().next();
        Cli.Invocation o = run(image.image(), "windows.svcscan", "-r", "json");
        Set<String> listed = new HashSet<>();
        JsonLines.parse(o.out()).stream().filter(r -> !r.get("Offset").isObject()).forEach(r -> listed.add(r.get(
                "Offset").asText()));
        // the walk goes from the newest record back: it lists those on later pages, then meets the paged-out page
        Set<String> newer = new HashSet<>();
        s.services().stream().filter(x -> x.inMemory() && Long.compareUnsigned(x.record() & ~0xfffL, page) > 0)
                .forEach(x -> newer.add("0x" + Long.toHexString(x.record())));
        assertEquals(newer, listed);
        ServiceTruth.Service lost = s.services().stream().filter(x -> x.inMemory() && (x.record() & ~0xfffL)
                == page).findFirst().orElseThrow();
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("service record at 0x" + Long.toHexString(lost
                .record())) && l.contains("pagefile")));
    }

    @Test
    public void aWildNamePointerAndALoopingListAreNamedAndTheRestIsListed() throws IOException {
        assumeTrue("the damage is the same on every layout: checked on 19041", build == 19041);
        ServiceTruth s = services();
        List<ServiceTruth.Service> inMemory = s.services().stream().filter(ServiceTruth.Service::inMemory).toList();
        ServiceTruth.Service newest = inMemory.get(0);
        ServiceTruth.Service oldest = inMemory.get(inMemory.size() - 1);
        ServiceTruth.Service wild = inMemory.stream().filter(x -> !s.pagedOut().containsKey(x.record() & ~0xfffL)
                && x != oldest).findFirst().orElseThrow();
        ServiceLayout layout = ServiceLayout.forBuild(build).orElseThrow();
        Profile profile = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(profileId))
                .findFirst().orElseThrow().load();
        SynthTruth.Process scm = truth.processes().stream().filter(p -> p.name().equals("services.exe")).findFirst()
                .orElseThrow();
        Path copy = tmp.newFolder().toPath().resolve("damaged.raw");
        Files.copy(image.image(), copy);
        long wildPointer = 0x0000_7A5D_EAD0_0000L;
        try (FileLayer physical = FileLayer.open(image.image(), "raw"); FileChannel out = FileChannel.open(copy,
                StandardOpenOption.WRITE)) {
            KernelDiscovery d = new KernelLocator(physical, List.of(profile), LocatorHints.none()).locate();
            X64Layer space = new ProcessLayers(d.kernel(), profile).layer("services.exe", scm.dtb(), scm.eprocess());
            assertEquals("the wild pointer must map nothing", -1, space.translate(wildPointer));
            long name = space.translate(wild.record() + layout.name());
            long prev = space.translate(oldest.record() + layout.prev());
            assertTrue(name >= 0 && prev >= 0);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, wildPointer), name);
            // the oldest record points back at the newest: the list loops
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, newest.record()), prev);
        }
        Cli.Invocation o = withPagefile(copy, "windows.svcscan", "-r", "json");
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("service record at 0x" + Long.toHexString(wild
                .record())) && l.contains("0x" + Long.toHexString(wildPointer))));
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("loops back to the record at 0x" + Long
                .toHexString(newest.record()))));
        List<JsonNode> rows = JsonLines.parse(o.out());
        Set<String> listed = new HashSet<>();
        rows.forEach(r -> listed.add(r.get("Offset").asText()));
        for (ServiceTruth.Service x : inMemory) {
            assertTrue(x.name(), listed.contains("0x" + Long.toHexString(x.record())));
        }
        JsonNode damaged = rows.stream().filter(r -> r.get("Offset").asText().equals("0x" + Long.toHexString(wild
                .record()))).findFirst().orElseThrow();
        assertTrue(damaged.toString(), damaged.get("ServiceName").isObject());
        assertEquals(wild.displayName(), damaged.get("DisplayName").asText());
    }
}
