package org.vestige.registry.credentials;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.Test;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveWriter;
import org.vestige.registry.TestHives;
import org.vestige.synth.CredentialHives;
import org.vestige.synth.CredentialHives.Account;
import org.vestige.synth.CredentialHives.SamRevision;

public class SamHashesTest {

    static final List<Account> ACCOUNTS = List.of(
            Account.of(500, "Administrator", "password"),
            new Account(501, "Guest", null, false, true),
            new Account(1000, "alice", "Secr3t!", true, false),
            Account.of(1001, "bob", "correct horse battery staple"),
            Account.of(1002, "Ünïcode", "пароль密码"));

    /**
     * The hashdump lines of {@link #ACCOUNTS}, written out rather than computed with the reader's own MD4
     * and DES, so a mistake made the same way on both sides of the round trip still fails: NT hashes of
     * "password" and "" as published, the others computed with an MD4 written from RFC 1320 apart from the
     * engine (ReferenceMd4 in org.vestige.plugin.registry.tests), and alice's LM hash (of "SECR3T!") the
     * value this test has pinned from the start.
     */
    static final List<String> EXPECTED_HASHDUMP = List.of(
            "Administrator:500:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::",
            "Guest:501:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::",
            "alice:1000:e20cbec1a5d95d9aaad3b435b51404ee:50a0bac757f5dc5faec745d20c01be08:::",
            "bob:1001:aad3b435b51404eeaad3b435b51404ee:1b9d5effd34ac283c8efe2eacaea8bbc:::",
            "\u00dcn\u00efcode:1002:aad3b435b51404eeaad3b435b51404ee:08f58141122a3d5ce633d0f1adb6bda6:::");

    private static byte[] domainKey() {
        return HexFormat.of().parseHex("101112131415161718191a1b1c1d1e1f");
    }

    @Test
    public void readmeVectorGivesTheExactLine() {
        BootKey boot = BootKey.fromClassNames("00112233", "44556677", "8899aabb", "ccddeeff");
        assertEquals("88554422bb99dd33006611cceeaaff77", boot.hex());
        Hive sam = Hive.of("SAM", HiveWriter.write(CredentialHives.sam(boot, domainKey(), SamRevision.RC4,
                List.of(Account.of(500, "Administrator", "password")), 1)));
        SamDump dump = SamHashes.dump(sam, boot);
        assertEquals(HashedBootKey.Verification.VERIFIED, dump.hashedBootKey().verification());
        assertEquals("101112131415161718191a1b1c1d1e1f", dump.hashedBootKey().hex());
        assertEquals("Administrator:500:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::",
                dump.accounts().get(0).hashdumpLine().orElseThrow());
    }

    @Test
    public void syntheticSamGivesNtHashesOfThePasswords() {
        BootKey boot = BootKey.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        for (SamRevision revision : SamRevision.values()) {
            Hive system = Hive.of("SYSTEM", HiveWriter.write(CredentialHives.system(boot, 2)));
            BootKey read = BootKey.fromSystem(system);
            assertEquals(boot, read);
            Hive sam = Hive.of("SAM", HiveWriter.write(CredentialHives.sam(boot, domainKey(), revision, ACCOUNTS, 5)));
            SamDump dump = SamHashes.dump(sam, read);
            assertTrue(dump.problems().toString(), dump.problems().isEmpty());
            assertEquals(revision == SamRevision.RC4 ? 1 : 2, dump.hashedBootKey().revision());
            assertEquals(ACCOUNTS.size(), dump.accounts().size());
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                Account a = ACCOUNTS.get(i);
                SamAccount got = dump.accounts().get(i);
                assertEquals(a.rid(), got.rid());
                assertEquals(a.name(), got.name());
                if (a.password() != null) {
                    assertEquals(EXPECTED_HASHDUMP.get(i).split(":")[3], HexFormat.of().formatHex(got.ntHash()
                            .orElseThrow()));
                    assertEquals(revision == SamRevision.RC4 ? 1 : 2, got.hashRevision());
                } else {
                    assertEquals(SamAccount.HashState.ABSENT, got.ntState());
                }
                assertEquals(a.disabled(), got.isDisabled());
            }
            List<String> lines = dump.accounts().stream().map(x -> x.hashdumpLine().orElseThrow()).toList();
            assertEquals(EXPECTED_HASHDUMP, lines);
        }
    }

    @Test
    public void aForeignBootKeyIsDetectedForRevision1() {
        BootKey right = BootKey.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        BootKey wrong = BootKey.fromHex("00000000000000000000000000000001");
        Hive sam = Hive.of("SAM", HiveWriter.write(CredentialHives.sam(right, domainKey(), SamRevision.RC4, ACCOUNTS, 5)));
        SamDump dump = SamHashes.dump(sam, wrong);
        assertFalse(dump.bootKeyMatches());
        assertEquals(SamAccount.HashState.NOT_DECRYPTED, dump.accounts().get(0).ntState());
        assertTrue(dump.accounts().get(0).hashdumpLine().isEmpty());
        assertEquals(SamAccount.HashState.ABSENT, dump.accounts().get(1).ntState());
    }

    @Test
    public void realSamListsItsUsersButRejectsTheUnrelatedSystemKey() {
        // the SAM in the test data does not belong to the SYSTEM hive beside it
        BootKey boot = BootKey.fromSystem(TestHives.open("SYSTEM"));
        SamDump dump = SamHashes.dump(TestHives.open("SAM"), boot);
        assertEquals(1, dump.hashedBootKey().revision());
        assertEquals(HashedBootKey.Verification.MISMATCH, dump.hashedBootKey().verification());
        assertEquals(List.of(500L, 501L, 1000L), dump.accounts().stream().map(SamAccount::rid).toList());
        assertEquals(List.of("Administrator", "Guest", "Preston"),
                dump.accounts().stream().map(SamAccount::name).toList());
        SamAccount admin = dump.accounts().get(0);
        SamAccount preston = dump.accounts().get(2);
        assertEquals(SamAccount.HashState.NOT_DECRYPTED, admin.ntState());
        assertEquals(SamAccount.HashState.NOT_DECRYPTED, preston.ntState());
        assertEquals(1, preston.hashRevision());
        assertEquals(SamAccount.HashState.ABSENT, dump.accounts().get(1).ntState());
        assertTrue(admin.isDisabled());
        assertFalse(preston.isDisabled());
        assertTrue(dump.problems().get(0).contains("does not belong to this SAM"));
    }
}
