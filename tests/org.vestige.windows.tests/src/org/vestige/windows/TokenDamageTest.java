package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.TokenTruth;

/**
 * Damaged tokens in a synthesized Windows 10 image (a wild UserAndGroups pointer, an absurd count, a malformed
 * _SID, a null or user-mode Token pointer) are warnings naming the process and the address, and every other
 * process's token still reads. One build is enough: the damage is the same on every layout.
 */
public class TokenDamageTest {

    @Test(timeout = 120_000)
    public void damagedTokensAreNamedAndTheOthersStillRead() {
        try (Discovered d = Discovered.of(SynthImages.WIN10_19041, 19041)) {
            List<TokenTruth.ProcessToken> tokens = d.truth().tokens().tokens().stream().filter(t -> d.truth()
                    .processes().stream().anyMatch(p -> p.eprocess() == t.eprocess())).toList();
            TokenTruth.ProcessToken wild = tokens.get(2);
            TokenTruth.ProcessToken absurd = tokens.get(4);
            TokenTruth.ProcessToken badSid = tokens.get(6);
            long groupsAt = d.profile().offset("_TOKEN", "UserAndGroups");
            long countAt = d.profile().offset("_TOKEN", "UserAndGroupCount");
            long wildPointer = 0;
            for (long candidate : new long[] {0xFFFF_A5DE_AD00_0000L, 0xFFFF_C7DE_AD00_0000L, 0xFFFF_E9DE_AD00_0000L}) {
                if (d.kernel().read(candidate, new byte[8], 0, 8) == 0) {
                    wildPointer = candidate; // a kernel address no page table maps
                    break;
                }
            }
            assertTrue(wildPointer != 0);
            long sidOfEntry1 = java.nio.ByteBuffer.wrap(d.kernel().readBytes(badSid.userAndGroupsArray() + 16, 8))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            long finalWild = wildPointer;
            // UserAndGroupCount and RestrictedSidCount share a qword: keep RestrictedSidCount 0
            TokenReaderTest.Patched layer = new TokenReaderTest.Patched(d.kernel()).qword(wild.token() + groupsAt, wildPointer).qword(absurd.token()
                    + countAt, 0x7FFF_FFFFL).qword(sidOfEntry1, 0x0000_0000_0000_4001L);
            TokenReader reader = new TokenReader(layer, d.profile());
            for (SynthTruth.Process p : d.truth().processes()) {
                TokenTruth.ProcessToken expected = d.truth().tokens().of(p.eprocess()).orElseThrow();
                Readout<WinToken> read = reader.read(TokenReaderTest.winProcess(p));
                if (expected.pagefileOffset() >= 0) {
                    assertTrue(read.cause() instanceof org.vestige.core.layer.MissingCause.PagedOut);
                    continue;
                }
                assertTrue(p.name() + ": " + read.reason(), read.isPresent());
                WinToken t = read.get();
                assertEquals(expected.present(), t.present());
                String name = TokenReaderTest.winProcess(p).toString();
                if (expected == wild) {
                    assertFalse(t.userAndGroups().isPresent());
                    assertTrue(String.valueOf(t.userAndGroups().cause()), t.userAndGroups().cause()
                            instanceof org.vestige.core.layer.MissingCause.NotMapped);
                    assertTrue(t.warnings().toString(), t.warnings().stream().anyMatch(w -> w.contains(name) && w
                            .contains("0x" + Long.toHexString(finalWild)) && w.contains("_TOKEN at 0x" + Long
                                    .toHexString(wild.token()))));
                } else if (expected == absurd) {
                    assertFalse(t.userAndGroups().isPresent());
                    assertTrue(t.warnings().toString(), t.warnings().stream().anyMatch(w -> w.contains(name) && w
                            .contains("UserAndGroupCount 2147483647") && w.contains("_TOKEN at 0x" + Long
                                    .toHexString(absurd.token()))));
                } else if (expected == badSid) {
                    List<TokenSid> groups = t.userAndGroups().get();
                    assertEquals(expected.userAndGroups().size(), groups.size());
                    assertFalse(groups.get(1).sid().isPresent());
                    assertTrue(groups.get(0).sid().isPresent());
                    assertTrue(groups.get(2).sid().isPresent());
                    assertTrue(t.warnings().toString(), t.warnings().stream().anyMatch(w -> w.contains(name) && w
                            .contains("UserAndGroups[1]") && w.contains("SubAuthorityCount 64") && w.contains("0x"
                                    + Long.toHexString(sidOfEntry1))));
                } else {
                    assertEquals(name, List.of(), t.warnings());
                    assertEquals(expected.userAndGroups().size(), t.userAndGroups().get().size());
                }
            }
        }
    }

    @Test(timeout = 120_000)
    public void aNullOrUserModeTokenPointerIsNotFollowed() {
        try (Discovered d = Discovered.of(SynthImages.WIN10_19041, 19041)) {
            SynthTruth.Process first = d.truth().processes().get(1);
            SynthTruth.Process second = d.truth().processes().get(2);
            long tokenAt = d.profile().offset("_EPROCESS", "Token");
            TokenReaderTest.Patched layer = new TokenReaderTest.Patched(d.kernel()).qword(first.eprocess() + tokenAt, 0).qword(second.eprocess()
                    + tokenAt, 0x0000_7FF6_1234_0003L);
            TokenReader reader = new TokenReader(layer, d.profile());
            Readout<WinToken> none = reader.read(TokenReaderTest.winProcess(first));
            assertFalse(none.isPresent());
            assertNull(none.cause());
            assertTrue(none.reason(), none.reason().contains("null") && none.reason().contains(TokenReaderTest.winProcess(first)
                    .toString()));
            Readout<WinToken> user = reader.read(TokenReaderTest.winProcess(second));
            assertFalse(user.isPresent());
            assertTrue(user.reason(), user.reason().contains("0x7ff612340000") && user.reason().contains(
                    "not a kernel address"));
            assertNotNull(reader.read(TokenReaderTest.winProcess(d.truth().processes().get(3))).get());
        }
    }
}
