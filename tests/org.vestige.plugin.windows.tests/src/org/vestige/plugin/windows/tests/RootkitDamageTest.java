package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.vestige.plugin.windows.tests.RootkitScansTest.hex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.RootkitTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code windows.modscan}, {@code windows.driverscan} and {@code windows.ssdt} on a synthesized 19041 image damaged
 * after the fact: a loader entry whose FullDllName buffer is wild, one whose DllBase is, a driver object whose
 * DriverName buffer is wild, one whose DriverExtension points at unmapped memory, and KiServiceTable entries that
 * lead nowhere. Each is a warning naming the structure and its address, and every other row is still listed.
 */
public class RootkitDamageTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final long WILD = 0x4141414141414141L;
    /** A user-mode address: nothing in the kernel's address space maps it. */
    private static final long UNMAPPED = 0x0000414141414140L;
    /** KiServiceTable entries whose routine lies 128 MiB past the table, in no module. */
    private static final int NOWHERE = 0x7FFFFFF0;
    private static final int FIRST_BAD_SERVICE = 5;
    private static final int BAD_SERVICES = 4;

    private static ImageSynthesizer.Output image;
    private static RootkitTruth truth;
    private static Path damaged;
    private static RootkitTruth.LoaderEntry wildName;
    private static RootkitTruth.LoaderEntry wildBase;
    private static RootkitTruth.Driver wildDriverName;
    private static RootkitTruth.Driver wildExtension;

    @BeforeClass
    public static void damage() throws IOException {
        String profileId = "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1";
        image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(37).windowsBuild(19041).build());
        SynthTruth all = image.truth();
        truth = all.rootkit();
        Profile profile = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().equals(profileId))
                .findFirst().orElseThrow().load();
        wildName = entry("disk.sys");
        wildBase = entry("kdcom.dll");
        wildDriverName = driver("\\Driver\\disk");
        wildExtension = driver("\\Driver\\Tcpip");
        SynthTruth.Translation kernelImage = all.translations().stream().filter(t -> t.what().equals(
                "kernel image header")).findFirst().orElseThrow();
        long table = kernelImage.pa() + truth.serviceTable().table() - all.kernelBase();
        damaged = tmp.newFolder().toPath().resolve("damaged.raw");
        Files.copy(image.image(), damaged);
        try (FileChannel out = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            write(out, wildName.physical() + profile.offset("_KLDR_DATA_TABLE_ENTRY", "FullDllName") + 8, WILD, 8);
            write(out, wildBase.physical() + profile.offset("_KLDR_DATA_TABLE_ENTRY", "DllBase"), WILD, 8);
            write(out, wildDriverName.physical() + profile.offset("_DRIVER_OBJECT", "DriverName") + 8, WILD, 8);
            write(out, wildExtension.physical() + profile.offset("_DRIVER_OBJECT", "DriverExtension"), UNMAPPED, 8);
            for (int i = FIRST_BAD_SERVICE; i < FIRST_BAD_SERVICE + BAD_SERVICES; i++) {
                write(out, table + 4L * i, NOWHERE, 4);
            }
        }
    }

    private static RootkitTruth.LoaderEntry entry(String name) {
        return truth.loaderEntries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static RootkitTruth.Driver driver(String name) {
        return truth.drivers().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static void write(FileChannel out, long at, long value, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        out.write(b.limit(size), at);
    }

    private static Cli.Invocation run(String plugin) {
        return RootkitScansTest.run(damaged, plugin, "-r", "json");
    }

    private static List<String> warnings(Cli.Invocation o) {
        return o.err().lines().filter(l -> l.contains("warning")).toList();
    }

    private static JsonNode row(List<JsonNode> rows, long physical) {
        return rows.stream().filter(r -> r.get("Offset(P)").asText().equals(hex(physical))).findFirst().orElseThrow();
    }

    @Test
    public void loaderEntriesWithWildPointersAreNamedAndTheRestListed() {
        Cli.Invocation o = run("windows.modscan");
        List<String> warnings = warnings(o);
        assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains("_KLDR_DATA_TABLE_ENTRY at physical " + hex(
                wildName.physical()) + " (" + hex(wildName.address()) + ") has wild pointers: FullDllName")));
        assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains("pool block at physical " + hex(wildBase
                .physical() - 0x10) + " tagged 'MmLd' holds no plausible _KLDR_DATA_TABLE_ENTRY") && l.contains(
                        "DllBase " + hex(WILD))));
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(truth.loaderEntries().size() - 1, rows.size());
        JsonNode named = row(rows, wildName.physical());
        assertTrue(named.toString(), named.get("Path").isObject());
        assertEquals(wildName.name(), named.get("Name").asText());
        assertEquals(1, rows.stream().filter(r -> r.get("NotOnModuleList").asBoolean()).count());
    }

    @Test
    public void driverObjectsWithWildPointersAreNamedAndTheRestListed() {
        Cli.Invocation o = run("windows.driverscan");
        List<String> warnings = warnings(o);
        assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains("_DRIVER_OBJECT at physical " + hex(
                wildDriverName.physical()) + " (" + hex(wildDriverName.address()) + ") has wild pointers: DriverName")));
        assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains("_DRIVER_OBJECT at physical " + hex(
                wildExtension.physical()) + " has wild pointers: DriverExtension") && l.contains(hex(UNMAPPED))));
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(truth.drivers().size(), rows.size());
        assertTrue(row(rows, wildDriverName.physical()).get("DriverName").isObject());
        JsonNode lost = row(rows, wildExtension.physical());
        assertTrue(lost.toString(), lost.get("ServiceKey").isObject() && lost.get("Offset(V)").isObject());
        assertEquals(wildExtension.name(), lost.get("DriverName").asText());
        assertEquals(1, rows.stream().filter(r -> r.get("StartOutsideModules").asBoolean()).count());
    }

    @Test
    public void serviceEntriesLeadingNowhereAreNamedAndTheRestListed() {
        Cli.Invocation o = run("windows.ssdt");
        List<String> warnings = warnings(o);
        for (int i = FIRST_BAD_SERVICE; i < FIRST_BAD_SERVICE + BAD_SERVICES; i++) {
            String entry = "KiServiceTable at " + hex(truth.serviceTable().table()) + " entry " + i + " (0x"
                    + Integer.toHexString(NOWHERE) + ") leads to " + hex(truth.serviceTable().table() + (NOWHERE
                            >> 4)) + ", in no module";
            assertTrue(o.err(), warnings.stream().anyMatch(l -> l.contains(entry)));
        }
        // the hooked entry leads into the hidden driver, which is on no list either
        assertEquals(o.err(), BAD_SERVICES + 1, warnings.stream().filter(l -> l.contains("KiServiceTable at "))
                .count());
        List<JsonNode> rows = JsonLines.parse(o.out());
        assertEquals(truth.serviceTable().services().size(), rows.size());
        assertEquals(BAD_SERVICES + 1, rows.stream().filter(r -> r.get("Hooked").asBoolean()).count());
    }
}
