package org.vestige.plugin.registry.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.registry.Extensions;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.credentials.BootKey;
import org.vestige.registry.credentials.LsaDump;
import org.vestige.synth.CredentialHives;
import org.vestige.synth.CredentialHives.Account;
import org.vestige.synth.CredentialHives.SamRevision;
import org.vestige.testing.JsonLines;
import org.vestige.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;

/** The registry and credential analyses on offline hive files, through the vestige command. */
public class RegistryAnalysesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();


    static Cli.Invocation vestige(String... args) {
        return Cli.capture(Extensions.fromPlatform(), args);
    }

    @Test
    public void hashdumpPrintsTheMd4OfEveryKnownPassword() throws Exception {
        for (SamRevision revision : SamRevision.values()) {
            BootKey bootKey = BootKey.fromHex("00112233445566778899aabbccddeeff");
            List<Account> accounts = List.of(Account.of(500, "Administrator", "password"), Account.of(501, "Guest",
                    null), Account.of(1001, "localuser01", "Winter2024!"));
            Path system = tmp.newFile("SYSTEM-" + revision).toPath();
            Path sam = tmp.newFile("SAM-" + revision).toPath();
            HiveWriter.write(CredentialHives.system(bootKey, 1), HiveWriter.Options.defaults(), system);
            HiveWriter.write(CredentialHives.sam(bootKey, new byte[16], revision, accounts, 7),
                    HiveWriter.Options.defaults(), sam);
            Cli.Invocation o = vestige("windows.hashdump", "--hive", sam.toString(), "--hive", system.toString(), "-r",
                    "json");
            assertEquals(o.err(), 0, o.exitCode());
            List<String> lines = JsonLines.parse(o.out()).stream().map(r -> r.get("Hashdump").asText()).toList();
            // the expectation comes from the tests' own MD4, not from the engine's: a mistake the writer and
            // the reader share would pass a round trip, not this
            String emptyLm = "aad3b435b51404eeaad3b435b51404ee";
            assertEquals(List.of("Administrator:500:" + emptyLm + ":" + ReferenceMd4.ntHash("password") + ":::",
                    "Guest:501:" + emptyLm + ":" + ReferenceMd4.ntHash("") + ":::",
                    "localuser01:1001:" + emptyLm + ":" + ReferenceMd4.ntHash("Winter2024!") + ":::"), lines);
            // MD4(UTF-16LE("password")), a constant every Windows analyst knows
            assertEquals("8846f7eaee8fb117ad06bdd830b7586c", JsonLines.parse(o.out()).get(0).get("NTHash").asText());
            assertTrue(o.err(), o.err().contains("boot key 00112233445566778899aabbccddeeff"));
        }
    }

    @Test
    public void hashdumpOfAForeignSamSaysSoAndPrintsNothingWrong() throws Exception {
        // the SAM of one machine beside the SYSTEM hive of another: its hashed boot key does not verify
        Path sysFile = tmp.newFile("SYSTEM").toPath();
        HiveWriter.write(CredentialHives.system(BootKey.fromHex("e7f28d88f470cfed67dbcdb62ed1275b"), 1),
                HiveWriter.Options.defaults(), sysFile);
        Path samFile = tmp.newFile("SAM").toPath();
        HiveWriter.write(CredentialHives.sam(BootKey.fromHex("00112233445566778899aabbccddeeff"), new byte[16],
                SamRevision.RC4, List.of(Account.of(500, "Administrator", "password"), Account.of(501, "Guest", null),
                        Account.of(1000, "analyst", "Winter2024!")), 3), HiveWriter.Options.defaults(), samFile);
        Cli.Invocation o = vestige("windows.hashdump", "--hive", sysFile.toString(), "--hive", samFile.toString(), "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.err(), o.err().contains("boot key e7f28d88f470cfed67dbcdb62ed1275b"));
        assertTrue(o.err(), o.err().contains("does not verify"));
        for (JsonNode row : JsonLines.parse(o.out())) {
            // accounts that store a hash cannot be decrypted with a foreign boot key: nothing printed wrong
            boolean storesHash = row.get("RID").asLong() != 501;
            assertEquals(row.toString(), storesHash, row.get("Hashdump").has("unavailable"));
        }
        assertEquals(List.of(500L, 501L, 1000L), JsonLines.parse(o.out()).stream().map(r -> r.get("RID").asLong())
                .toList());
    }

    @Test
    public void printkeyShowsTheRootOfARealHiveAndItsSubkeys() throws Exception {
        Path ntuser = tmp.newFile("NTUSER.DAT").toPath();
        Files.write(ntuser, TestData.readAll("registry/NTUSER.DAT.xz"));
        Cli.Invocation o = vestige("windows.registry.printkey", "--hive", ntuser.toString(), "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode root = JsonLines.parse(o.out()).get(0);
        assertEquals("CMI-CreateHive{6A1C4018-979D-4291-A7DC-7AED1C75B67C}", root.get("Key").asText());
        long subkeys = 0;
        for (JsonNode c : root.get("__children")) {
            subkeys += c.get("Value").isNull() ? 1 : 0;
        }
        assertEquals(11, subkeys);
        Cli.Invocation all = vestige("windows.registry.printkey", "--hive", ntuser.toString(), "--recurse", "-r", "csv");
        assertEquals(all.err(), 0, all.exitCode());
        long keys = all.out().lines().skip(1).filter(l -> l.split(",", -1)[4].isEmpty()).count();
        long values = all.out().lines().skip(1).count() - keys;
        assertEquals(1812, keys);
        assertEquals(4094, values);
    }

    @Test
    public void lsadumpDecryptsSecretsOfAMatchingPair() throws Exception {
        BootKey bootKey = BootKey.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        Path system = tmp.newFile("SYSTEM").toPath();
        Path security = tmp.newFile("SECURITY").toPath();
        HiveWriter.write(CredentialHives.system(bootKey, 1), HiveWriter.Options.defaults(), system);
        byte[] lsaKey = new byte[32];
        for (int i = 0; i < lsaKey.length; i++) {
            lsaKey[i] = (byte) (i * 3 + 1);
        }
        HiveWriter.write(CredentialHives.security(bootKey, LsaDump.Scheme.AES_POLEKLIST, lsaKey, Map.of("DefaultPassword",
                CredentialHives.textSecret("Summer2025!")), 3), HiveWriter.Options.defaults(), security);
        Cli.Invocation o = vestige("windows.lsadump", "--hive", system.toString(), "--hive", security.toString(), "-r",
                "json");
        assertEquals(o.err(), 0, o.exitCode());
        JsonNode row = JsonLines.parse(o.out()).stream().filter(r -> r.get("Secret").asText().equals("DefaultPassword")).findFirst()
                .orElseThrow();
        assertTrue(row.toString(), row.get("Current").asText().contains("Summer2025!"));
    }

    @Test
    public void missingHivesAreNamed() throws IOException {
        Path notAHive = tmp.newFile("random.bin").toPath();
        Files.write(notAHive, new byte[8192]);
        Cli.Invocation o = vestige("windows.hashdump", "--hive", notAHive.toString());
        assertEquals(3, o.exitCode());
        assertTrue(o.err(), o.err().contains("random.bin"));
        // neither hive files nor a memory image: the analysis says what it needs, as a usage error
        o = vestige("windows.hashdump");
        assertEquals(2, o.exitCode());
        assertTrue(o.err(), o.err().contains("--hive") && o.err().contains("-f IMAGE"));
    }
}
