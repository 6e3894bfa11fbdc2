package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.layer.crashdump.MinidumpWriter;
import org.vestige.layer.crashdump.ProcessorArchitecture;
import org.vestige.layer.crashdump.SystemInfo;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.KeySpec;
import org.vestige.synth.SynthOptions;
import org.vestige.testing.SynthesizedImages;

/**
 * Bad input of every evidence kind through the vestige command, as a hostile or unlucky user gives it:
 * truncations at several points, seeded byte flips, huge length fields, and the paths that are not files at
 * all. Every run must end with a documented exit code, show no Java stack trace, finish in bounded time (the
 * test's timeout, in a JVM limited to 512 MiB) and leave the evidence byte for byte as it was.
 *
 * <p>{@code -Dvestige.badinput.flips=N} sets the flips per kind (20 by default; the long profile runs more).
 */
public class BadInputMatrixTest {

    private static final Set<Integer> DOCUMENTED = Set.of(ExitCode.OK, ExitCode.USAGE, ExitCode.EVIDENCE,
            ExitCode.ANALYSIS, ExitCode.INTEGRITY);
    private static final int FLIPS = Integer.getInteger("vestige.badinput.flips", 20);

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] rawImage;
    private static byte[] aff4Volume;

    /** One kind of evidence: a healthy file and the commands that read it. */
    private record Kind(String name, byte[] healthy, List<List<String>> commands, List<int[]> lengthFields,
            int flips) {

        Kind(String name, byte[] healthy, List<List<String>> commands, List<int[]> lengthFields) {
            this(name, healthy, commands, lengthFields, FLIPS);
        }
    }

    @BeforeClass
    public static void healthyEvidence() throws Exception {
        Path image = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(181).windowsBuild(19041).sizeMib(128).lowStub(false).build()).image();
        rawImage = Files.readAllBytes(image);
        Path out = tmp.newFolder("aff4").toPath();
        Path small = out.resolve("small.raw");
        Files.write(small, Arrays.copyOf(rawImage, 8 << 20));
        Cli.Invocation c = CliTest.vestige("-f", small.toString(), "-q", "-o", out.toString(), "aff4.convert",
                "--codec", "deflate", "--name", "small.aff4");
        assertEquals(c.err(), 0, c.exitCode());
        aff4Volume = Files.readAllBytes(out.resolve("small.aff4"));
    }

    private static byte[] minidump() throws Exception {
        byte[] stack = new byte[0x3000];
        new Random(7).nextBytes(stack);
        long base = 0x7ff6_1bc8_0000L;
        Layer memory = new Layer() {
            @Override
            public String name() {
                return "process";
            }

            @Override
            public long size() {
                return Long.MAX_VALUE;
            }

            @Override
            public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
                if (address < base || address + length > base + stack.length) {
                    sink.accept(address, length, new PageProvenance.Missing(new MissingCause.NotMapped(), "none"));
                    return 0;
                }
                System.arraycopy(stack, (int) (address - base), buffer, offset, length);
                sink.accept(address, length, new PageProvenance.Evidence("process", address - base));
                return length;
            }
        };
        Path p = tmp.getRoot().toPath().resolve("healthy.dmp");
        new MinidumpWriter(SystemInfo.windows(ProcessorArchitecture.AMD64, 10, 0, 19041, "", 2)).processId(4242)
                .processCreateTime(Instant.parse("2025-01-02T03:04:05Z")).timestamp(Instant.parse(
                        "2025-01-02T03:05:00Z")).module(new MinidumpWriter.Module("C:\\Windows\\notepad.exe", base,
                                stack.length, 0x5ba523af, 0)).memory(base, stack.length).write(p, memory);
        return Files.readAllBytes(p);
    }

    private static byte[] hive() {
        KeySpec root = KeySpec.named("ROOT");
        root.subkey("Select").dword("Current", 1).dword("Default", 1);
        KeySpec services = root.path("ControlSet001\\Services");
        for (int i = 0; i < 30; i++) {
            services.subkey("Svc" + i).dword("Start", i % 5).expandString("ImagePath", "C:\\svc" + i + ".sys");
        }
        return HiveWriter.write(root, HiveWriter.Options.defaults());
    }

    /** A full (DumpType 1) 64-bit kernel crash dump of {@code memory}, with one run of physical pages. */
    private static byte[] crashDump(byte[] memory) {
        ByteBuffer h = ByteBuffer.allocate(0x2000 + memory.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 0x2000; i += 4) {
            h.put(i, "PAGE".getBytes(StandardCharsets.US_ASCII));
        }
        h.put(0, "PAGEDU64".getBytes(StandardCharsets.US_ASCII));
        h.putInt(0x8, 0xf).putInt(0xc, 19041).putLong(0x10, 0x1ad000L).putInt(0x30, 0x8664).putInt(0x34, 2);
        h.putInt(0x88, 1).putInt(0x8c, 0).putLong(0x90, memory.length / 4096).putLong(0x98, 0).putLong(0xa0,
                memory.length / 4096);
        h.putInt(0xf98, 1);
        h.putLong(0xfa0, memory.length / 4096 + 2);
        h.put(0x2000, memory);
        return h.array();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** Runs every command of the kind on {@code file} and checks what every run must hold. */
    private static void runAll(Kind kind, Path file, String what) throws Exception {
        String before = sha256(file);
        for (List<String> command : kind.commands()) {
            List<String> args = new ArrayList<>();
            for (String a : command) {
                args.add(a.equals("FILE") ? file.toString() : a);
            }
            Cli.Invocation o = CliTest.vestige(args.toArray(String[]::new));
            String where = kind.name() + " " + what + ": " + String.join(" ", args) + " exited " + o.exitCode()
                    + "\n" + o.err();
            assertTrue(where, DOCUMENTED.contains(o.exitCode()));
            assertFalse(where, o.err().contains("\tat ") || o.err().contains("Exception in thread"));
            assertFalse(where, o.err().matches("(?s).*\\bjava\\.(lang|io|nio|util)\\.\\w+(Exception|Error)\\b.*"));
        }
        assertEquals(kind.name() + " " + what + ": the evidence was modified", before, sha256(file));
    }

    private static void matrix(Kind kind) throws Exception {
        Path file = tmp.getRoot().toPath().resolve("bad-" + kind.name());
        Random r = new Random(kind.name().hashCode());
        byte[] healthy = kind.healthy();
        Files.write(file, healthy);
        runAll(kind, file, "healthy");
        for (double at : new double[] {0.001, 0.1, 0.5, 0.97}) {
            Files.write(file, Arrays.copyOf(healthy, Math.max(1, (int) (healthy.length * at))));
            runAll(kind, file, "cut at " + at);
        }
        for (int i = 0; i < kind.flips(); i++) {
            byte[] b = healthy.clone();
            // most flips in the first 64 KiB, where the headers and directories are
            int span = r.nextInt(3) == 0 ? b.length : Math.min(b.length, 0x10000);
            for (int n = 1 + r.nextInt(4); n > 0; n--) {
                b[r.nextInt(span)] ^= (byte) (1 << r.nextInt(8));
            }
            Files.write(file, b);
            runAll(kind, file, "flip " + i);
        }
        for (int[] field : kind.lengthFields()) {
            for (long huge : new long[] {0xffffffffL, 0x7fffffffL, 0x80000000L}) {
                byte[] b = healthy.clone();
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(field[0], (int) huge);
                Files.write(file, b);
                runAll(kind, file, "length field at 0x" + Integer.toHexString(field[0]) + " = 0x" + Long
                        .toHexString(huge));
            }
        }
    }

    private static List<String> cmd(String... a) {
        return List.of(a);
    }

    @Test(timeout = 600_000)
    public void rawImages() throws Exception {
        // a raw image has no header: flips land in memory contents, where the other kinds' flips already reach
        // the same readers, so fewer of them
        matrix(new Kind("raw", rawImage, List.of(cmd("-f", "FILE", "--no-hash", "-q", "windows.pslist"), cmd("-f",
                "FILE", "--no-hash", "-q", "windows.psscan")), List.of(), Math.max(4, FLIPS / 5)));
    }

    @Test(timeout = 300_000)
    public void aff4Volumes() throws Exception {
        matrix(new Kind("aff4", aff4Volume, List.of(cmd("-f", "FILE", "-q", "evidence.info"), cmd("-f", "FILE",
                "--no-hash", "-q", "evidence.verify")), List.of(new int[] {0x12}, new int[] {0x16})));
    }

    @Test(timeout = 300_000)
    public void crashDumps() throws Exception {
        matrix(new Kind("crashdump", crashDump(Arrays.copyOf(rawImage, 4 << 20)), List.of(cmd("-f", "FILE", "-q",
                "evidence.info"), cmd("-f", "FILE", "--no-hash", "-q", "windows.info")), List.of(new int[] {0x88},
                        new int[] {0x90}, new int[] {0xa0})));
    }

    @Test(timeout = 300_000)
    public void minidumps() throws Exception {
        byte[] dump = minidump();
        int directory = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        matrix(new Kind("minidump", dump, List.of(cmd("-f", "FILE", "-q", "evidence.info"), cmd("-f", "FILE",
                "--no-hash", "-q", "windows.pslist"), cmd("-f", "FILE", "--no-hash", "-q", "windows.dlllist")), List.of(
                        new int[] {8}, new int[] {directory + 4}, new int[] {directory + 16})));
    }

    @Test(timeout = 300_000)
    public void hives() throws Exception {
        matrix(new Kind("hive", hive(), List.of(cmd("windows.registry.printkey", "--hive", "FILE", "--recurse")),
                List.of(new int[] {0x24}, new int[] {0x28}, new int[] {0x1000 + 8})));
    }

    @Test(timeout = 60_000)
    public void pathsThatAreNotEvidenceFiles() throws Exception {
        Path dir = tmp.newFolder("a-folder").toPath();
        Path empty = tmp.newFile("empty.raw").toPath();
        Path fifo = tmp.getRoot().toPath().resolve("evidence.fifo");
        boolean haveFifo = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        List<String> paths = new ArrayList<>(List.of(dir.toString(), empty.toString(), "/dev/zero",
                tmp.getRoot().toPath().resolve("absent.raw").toString()));
        if (haveFifo) {
            paths.add(fifo.toString());
        }
        for (String p : paths) {
            for (List<String> command : List.of(cmd("-f", p, "-q", "evidence.info"), cmd("-f", rawImagePath()
                    .toString(), "--no-hash", "-q", "--pagefile", p, "evidence.info"), cmd(
                            "windows.registry.printkey", "--hive", p))) {
                Cli.Invocation o = CliTest.vestige(command.toArray(String[]::new));
                assertEquals(String.join(" ", command) + "\n" + o.err(), ExitCode.EVIDENCE, o.exitCode());
                assertTrue(o.err(), o.err().contains(p));
            }
        }
        Assume.assumeTrue("mkfifo is not available here", haveFifo);
    }

    private static Path rawImagePath() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("healthy.raw");
        if (!Files.exists(p)) {
            Files.write(p, Arrays.copyOf(rawImage, 1 << 20));
        }
        return p;
    }
}
