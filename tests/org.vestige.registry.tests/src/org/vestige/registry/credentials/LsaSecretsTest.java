package org.vestige.registry.credentials;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.TestHives;
import org.vestige.registry.internal.Md4;
import org.vestige.synth.CredentialHives;

public class LsaSecretsTest {

    static final BootKey BOOT = BootKey.fromHex("88554422bb99dd33006611cceeaaff77");

    static Map<String, byte[]> secrets() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        byte[] machine = new byte[20];
        byte[] user = new byte[20];
        Arrays.fill(machine, (byte) 0xA1);
        Arrays.fill(user, (byte) 0xB2);
        s.put("DPAPI_SYSTEM", CredentialHives.dpapiSystem(machine, user));
        byte[] nlkm = new byte[64];
        for (int i = 0; i < 64; i++) {
            nlkm[i] = (byte) (i * 7);
        }
        s.put("NL$KM", nlkm);
        s.put("$MACHINE.ACC", CredentialHives.textSecret("M@chine-Passw0rd-\u00e9"));
        s.put("_SC_Backup", CredentialHives.textSecret("svc-password"));
        s.put("DefaultPassword", CredentialHives.textSecret("autologon!"));
        return s;
    }

    @Test
    public void vistaAndLegacySchemesRoundTrip() {
        byte[] key32 = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        for (LsaDump.Scheme scheme : LsaDump.Scheme.values()) {
            byte[] key = scheme == LsaDump.Scheme.AES_POLEKLIST ? key32 : Arrays.copyOf(key32, 16);
            Hive security = Hive.of("SECURITY", HiveWriter.write(CredentialHives.security(BOOT, scheme, key, secrets(), 3)));
            LsaDump dump = LsaSecrets.dump(security, BOOT);
            assertEquals(scheme, dump.scheme());
            assertArrayEquals(key, dump.lsaKey());
            assertTrue(dump.problems().isEmpty());
            assertEquals("sorted by upcased name", List.of("$MACHINE.ACC", "DefaultPassword", "DPAPI_SYSTEM", "NL$KM", "_SC_Backup"),
                    dump.secrets().stream().map(LsaSecret::name).toList());
            for (Map.Entry<String, byte[]> e : secrets().entrySet()) {
                LsaSecret s = dump.secret(e.getKey()).orElseThrow();
                assertArrayEquals(e.getKey(), e.getValue(), s.current().orElseThrow());
                assertTrue(s.previous().isEmpty());
                assertTrue(s.notes().isEmpty());
            }
            SecretValue dpapi = dump.secret("dpapi_system").orElseThrow().decoded().orElseThrow();
            assertTrue(dpapi instanceof SecretValue.DpapiSystem d && d.version() == 1 && d.machineKey()[0] == (byte) 0xA1
                    && d.userKey()[19] == (byte) 0xB2);
            assertEquals(new SecretValue.Text("svc-password"), dump.secret("_SC_Backup").orElseThrow().decoded().orElseThrow());
            assertEquals("autologon!", dump.secret("DefaultPassword").orElseThrow().decoded().orElseThrow().display());
            SecretValue machine = dump.secret("$MACHINE.ACC").orElseThrow().decoded().orElseThrow();
            assertTrue(machine instanceof SecretValue.MachineAccount m
                    && Arrays.equals(m.ntHash(), Md4.ntHash("M@chine-Passw0rd-\u00e9")));
            assertTrue(dump.secret("NL$KM").orElseThrow().decoded().orElseThrow() instanceof SecretValue.Binary);
        }
    }

    @Test
    public void aWrongBootKeyIsReportedNotDecodedAsGarbage() {
        byte[] key32 = new byte[32];
        Arrays.fill(key32, (byte) 5);
        Hive security = Hive.of("SECURITY", HiveWriter.write(CredentialHives.security(BOOT,
                LsaDump.Scheme.AES_POLEKLIST, key32, secrets(), 3)));
        try {
            LsaSecrets.dump(security, BootKey.fromHex("00000000000000000000000000000001"));
            fail("decrypted with a wrong boot key");
        } catch (CredentialException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Policy\\PolEKList: ") && e.getMessage().contains("wrong key"));
        }
    }

    /**
     * The SECURITY hive of the test data lists three secrets. Decrypted with the SYSTEM hive's boot key
     * its PolEKList yields no valid key list (size fields are random), so that SYSTEM is not the one this
     * SECURITY hive was protected with; the reader must say so rather than print noise.
     */
    @Test
    public void realSecurityHiveListsItsSecretsAndRejectsTheUnrelatedSystemKey() {
        Hive security = TestHives.open("SECURITY");
        assertEquals(List.of("DefaultPassword", "DPAPI_SYSTEM", "NL$KM"), LsaSecrets.secretNames(security));
        BootKey boot = BootKey.fromSystem(TestHives.open("SYSTEM"));
        try {
            LsaSecrets.dump(security, boot);
            fail("decrypted SECURITY with an unrelated boot key");
        } catch (CredentialException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("wrong key"));
        }
    }
}
