package org.vestige.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.LsaDump;
import org.vestige.registry.internal.Md4;
import org.vestige.synth.CredentialHives;
import org.vestige.synth.CredentialHives.Account;
import org.vestige.synth.CredentialHives.SamRevision;

/**
 * Checks this reader and writer against independent implementations when they are installed (Debian
 * packages libregf-utils for regfexport, python3-impacket for secretsdump); skipped otherwise.
 */
public class ExternalToolsInteropTest {

    private static final Path REGFEXPORT = Path.of("/usr/bin/regfexport");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SECRETSDUMP = Path.of("/usr/share/doc/python3-impacket/examples/secretsdump.py");

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue("timed out: " + String.join(" ", command), p.waitFor(120, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** regfexport's listing as "key path|value name|data size" lines (key lines have no value part). */
    private static List<String> regfexport(Path hive) throws Exception {
        String out = run(hive.getParent(), REGFEXPORT.toString(), hive.toString());
        List<String> lines = new ArrayList<>();
        String key = null;
        String value = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("Key path: ")) {
                key = line.substring("Key path: ".length());
                lines.add(key);
            } else if (line.startsWith("Value: ")) {
                String rest = line.substring("Value: ".length());
                value = rest.substring(rest.indexOf(' ') + 1);
            } else if (line.startsWith("Data size: ") && value != null) {
                lines.add(key + "|" + value + "|" + line.substring("Data size: ".length()));
                value = null;
            }
        }
        return lines;
    }

    private static List<String> ours(Hive hive) {
        List<String> lines = new ArrayList<>();
        String root = hive.root().name();
        hive.walk(new HiveVisitor() {
            @Override
            public boolean key(String path, RegistryKey key, int depth) {
                lines.add(path.isEmpty() ? root : root + "\\" + path);
                return true;
            }

            @Override
            public void value(String keyPath, RegistryKey key, RegistryValue value) {
                String k = keyPath.isEmpty() ? root : root + "\\" + keyPath;
                lines.add(k + "|" + (value.name().isEmpty() ? "(default)" : value.name()) + "|" + libregfSize(value));
            }
        });
        return lines;
    }

    /** libregf reports a string's size up to and including its first terminator; other sizes as stored. */
    private static int libregfSize(RegistryValue value) {
        if (value.typeCode() != 1 && value.typeCode() != 2) {
            return value.dataLength();
        }
        byte[] d = value.data();
        for (int i = 0; i + 1 < d.length; i += 2) {
            if (d[i] == 0 && d[i + 1] == 0) {
                return i + 2;
            }
        }
        return d.length;
    }

    private static void assertSameListing(String what, List<String> theirs, List<String> mine) {
        List<String> onlyTheirs = new ArrayList<>(theirs);
        mine.forEach(onlyTheirs::remove);
        List<String> onlyMine = new ArrayList<>(mine);
        theirs.forEach(onlyMine::remove);
        assertTrue(what + ": only libregf " + onlyTheirs.stream().limit(5).toList() + ", only here "
                + onlyMine.stream().limit(5).toList(), onlyTheirs.isEmpty() && onlyMine.isEmpty());
        assertEquals(what, theirs.size(), mine.size());
    }

    @Test
    public void libregfListsTheSameKeysAndValues() throws Exception {
        assumeTrue("regfexport (libregf-utils) not installed", Files.isExecutable(REGFEXPORT));
        Path dir = Files.createTempDirectory("regf-interop");
        try {
            for (String name : List.of("NTUSER.DAT", "SAM", "SECURITY")) {
                Path file = dir.resolve(name);
                Files.write(file, TestHives.bytes(name));
                List<String> theirs = regfexport(file);
                List<String> mine = ours(Hive.open(file));
                assertSameListing(name, theirs, mine);
            }
            Path written = dir.resolve("written.hiv");
            Files.write(written, HiveWriter.write(HiveWriterTest.sampleTree(),
                    HiveWriter.Options.defaults().withLeafCapacity(7)));
            List<String> theirs = regfexport(written);
            List<String> mine = ours(Hive.open(written));
            assertSameListing("written hive", theirs, mine);
            assertTrue(theirs.contains("ROOT\\Data|big|100000"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    public void impacketDecryptsTheSynthesizedHivesAlike() throws Exception {
        assumeTrue("impacket (python3-impacket) not installed", Files.isExecutable(PYTHON) && Files.exists(SECRETSDUMP));
        BootKey boot = BootKey.fromHex("3a4b5c6d7e8f90a1b2c3d4e5f6071829");
        byte[] domainKey = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        List<Account> accounts = List.of(Account.of(500, "Administrator", "Adm1n!"),
                new Account(501, "Guest", null, false, true), Account.of(1000, "carol", "a much longer passphrase"));
        byte[] lsaKey = new byte[32];
        Arrays.fill(lsaKey, (byte) 0x3C);
        byte[] nlkm = new byte[64];
        Arrays.fill(nlkm, (byte) 0x5A);
        java.util.Map<String, byte[]> secrets = new java.util.LinkedHashMap<>();
        secrets.put("NL$KM", nlkm);
        secrets.put("_SC_Spooler", CredentialHives.textSecret("spool-pw"));
        Path dir = Files.createTempDirectory("secretsdump-interop");
        try {
            HiveWriter.write(CredentialHives.system(boot, 1), HiveWriter.Options.defaults(), dir.resolve("SYSTEM"));
            for (SamRevision revision : SamRevision.values()) {
                HiveWriter.write(CredentialHives.sam(boot, domainKey, revision, accounts, 11),
                        HiveWriter.Options.defaults(), dir.resolve("SAM"));
                LsaDump.Scheme scheme = revision == SamRevision.RC4 ? LsaDump.Scheme.RC4_POLSECRETENCRYPTIONKEY
                        : LsaDump.Scheme.AES_POLEKLIST;
                byte[] key = scheme == LsaDump.Scheme.AES_POLEKLIST ? lsaKey : Arrays.copyOf(lsaKey, 16);
                HiveWriter.write(CredentialHives.security(boot, scheme, key, secrets, 12), HiveWriter.Options.defaults(),
                        dir.resolve("SECURITY"));
                String out = run(dir, PYTHON.toString(), SECRETSDUMP.toString(), "-system", "SYSTEM", "-sam", "SAM",
                        "-security", "SECURITY", "LOCAL");
                assertTrue(out, out.contains("bootKey: 0x" + boot.hex()));
                for (String line : CredentialHives.expectedHashdump(accounts)) {
                    assertTrue(revision + " missing " + line + " in\n" + out, out.contains(line));
                }
                assertTrue(out.contains(HexFormat.of().formatHex(Md4.ntHash("a much longer passphrase"))));
                assertTrue(out, out.contains("NL$KM:" + HexFormat.of().formatHex(nlkm)));
                assertTrue(out, out.contains(":spool-pw"));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
