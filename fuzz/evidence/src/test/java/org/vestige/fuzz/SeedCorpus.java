package org.vestige.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vestige.layer.aff4.Aff4Codec;
import org.vestige.layer.aff4.Aff4Writer;
import org.vestige.layer.aff4.internal.ZipContainer;
import org.vestige.layer.crashdump.CrashDumpSeeds;
import org.vestige.layer.vmware.VmwareSeeds;
import org.vestige.plugin.profiles.pdb.PdbSeeds;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.KeySpec;
import org.vestige.synth.HiberfilWriter;

/**
 * Writes synthetic seed inputs, made by Vestige's own writers, into the fuzzing corpus folders
 * ({@code .cifuzz-corpus/<target class>/<method>/}, or the folder the {@code seed.corpus} system property
 * names), and, given the {@code seed.profile} system property, a cut-down ISF profile. Not a test: {@code seed-corpus.sh} runs it by name; the build's test run excludes it.
 */
class SeedCorpus {

    private static final int PAGE = 4096;
    private static final int MEMORY_PAGES = 16;

    @TempDir
    Path tmp;

    private final Path corpus = Path.of(System.getProperty("seed.corpus", ".cifuzz-corpus"));

    @Test
    void write() throws IOException {
        byte[] memory = memory();
        Path raw = tmp.resolve("memory.raw");
        Files.write(raw, memory);
        aff4(raw);
        int n = 0;
        for (byte[] dump : CrashDumpSeeds.dumps(memory)) {
            seed(CrashDumpFuzzTest.class, "open", "synthetic-" + n++, dump);
        }
        n = 0;
        for (byte[] state : VmwareSeeds.states(memory)) {
            seed(VmwareFuzzTest.class, "open", "synthetic-" + n++, state);
        }
        Path hiberfil = tmp.resolve("hiberfil.sys");
        HiberfilWriter.write(raw, hiberfil, HiberfilWriter.Settings.of(19041));
        seed(HiberFuzzTest.class, "open", "synthetic-19041", Files.readAllBytes(hiberfil));
        seed(HiveFuzzTest.class, "walk", "synthetic", HiveWriter.write(hive()));
        int p = 0;
        for (byte[] pdb : PdbSeeds.pdbs()) {
            seed(PdbFuzzTest.class, "read", "synthetic-" + p++, pdb);
        }
        String profile = System.getProperty("seed.profile");
        if (profile != null) {
            seed(IsfFuzzTest.class, "read", "trimmed", IsfSeeds.trimmed(Path.of(profile), "_LIST_ENTRY",
                    "_UNICODE_STRING", "_KSYSTEM_TIME", "_EX_FAST_REF"));
        }
    }

    /** Pages of counters, text and zeros: compressible, but not all alike. */
    private static byte[] memory() {
        ByteBuffer b = ByteBuffer.allocate(MEMORY_PAGES * PAGE).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(18);
        for (int page = 0; page < MEMORY_PAGES; page++) {
            int base = page * PAGE;
            switch (page % 4) {
                case 0 -> {
                    for (int i = 0; i < PAGE; i += 8) {
                        b.putLong(base + i, 0xfffff80000000000L + page * PAGE + i);
                    }
                }
                case 1 -> {
                    byte[] text = ("page " + page + " of the fuzzing seed image ").repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    b.put(base, text, 0, PAGE);
                }
                case 2 -> {
                    for (int i = 0; i < 256; i++) {
                        b.put(base + i, (byte) random.nextInt());
                    }
                }
                default -> {
                    // a zero page
                }
            }
        }
        return b.array();
    }

    private void aff4(Path raw) throws IOException {
        List<Aff4Writer.MemoryRun> runs = List.of(new Aff4Writer.MemoryRun(0, 0, 8 * PAGE),
                new Aff4Writer.MemoryRun(0x100000, 8 * PAGE, 8 * PAGE));
        for (Aff4Codec codec : List.of(Aff4Codec.SNAPPY, Aff4Codec.DEFLATE, Aff4Codec.STORED)) {
            Path volume = tmp.resolve(codec + ".aff4");
            try (Aff4Writer w = Aff4Writer.create(volume, Aff4Writer.Settings.defaults(codec).withChunksPerSegment(2))) {
                w.writePhysicalMemory(raw, runs);
            }
            byte[] bytes = Files.readAllBytes(volume);
            seed(Aff4VolumeFuzzTest.class, "open", "synthetic-" + codec, bytes);
            seed(ZipContainerFuzzTest.class, "open", "synthetic-" + codec, bytes);
            try (ZipContainer zip = ZipContainer.open(volume)) {
                seed(TurtleFuzzTest.class, "parse", "synthetic-" + codec,
                        zip.readMember(zip.member("information.turtle"), 1 << 20));
            }
        }
    }

    private static KeySpec hive() {
        KeySpec root = KeySpec.named("ROOT");
        root.path("Select").dword("Current", 1).dword("Default", 1);
        root.path("ControlSet001\\Control\\Session Manager").string("BootExecute", "autocheck autochk *")
                .multiString("ObjectDirectories", List.of("\\Windows", "\\RPC Control"))
                .qword("Stamp", 0x01d9_0000_0000_0000L).binary("Blob", new byte[40]).className("Session");
        for (int i = 0; i < 24; i++) {
            root.path("Software\\Vendor\\Key" + i).string("Name", "value " + i);
        }
        return root;
    }

    private void seed(Class<?> target, String method, String name, byte[] bytes) throws IOException {
        Path dir = corpus.resolve(target.getName()).resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
