package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ProvenanceSink;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.TokenTruth;

/**
 * Every process's token read from synthesized images of every build equals the token placed: address and
 * reference count of the _EX_FAST_REF, ids, session, the user and groups with their attributes, the integrity
 * label and the three privilege masks. Damaged tokens are {@link TokenDamageTest}'s.
 */
@RunWith(Parameterized.class)
public class TokenReaderTest {

    @Parameters(name = "build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profile;
    private final int build;

    public TokenReaderTest(String profile, int build) {
        this.profile = profile;
        this.build = build;
    }

    static SynthTruth.Process process(SynthTruth truth, long eprocess) {
        return truth.processes().stream().filter(p -> p.eprocess() == eprocess).findFirst().orElseThrow();
    }

    static WinProcess winProcess(SynthTruth.Process p) {
        return new WinProcess(p.eprocess(), p.pid(), p.ppid(), p.name(), p.createTime(), null, p.dtb(), p.peb(),
                p.threads());
    }

    @Test(timeout = 120_000)
    public void everyTokenEqualsTheTruth() {
        try (Discovered d = Discovered.of(profile, build)) {
            TokenTruth tokens = d.truth().tokens();
            if (tokens.unavailable() != null) {
                // the profile lacks the token structures: the reader says so rather than guess
                assertTrue(TokenReader.unsupported(d.profile()).isPresent());
                Assume.assumeTrue("build " + build + ": " + tokens.unavailable() + "; the test runs once the profile "
                        + "has _TOKEN", false);
            }
            assertEquals(java.util.Optional.empty(), TokenReader.unsupported(d.profile()));
            TokenReader reader = new TokenReader(d.kernel(), d.profile());
            int compared = 0;
            int pagedOut = 0;
            for (SynthTruth.Process p : d.truth().processes()) {
                TokenTruth.ProcessToken expected = tokens.of(p.eprocess()).orElseThrow();
                Readout<WinToken> read = reader.read(winProcess(p));
                if (expected.pagefileOffset() >= 0) {
                    // paged pool paged out, and no pagefile given: the cause says where the token is
                    assertFalse(read.isPresent());
                    assertEquals(new org.vestige.core.layer.MissingCause.PagedOut(0, expected.pagefileOffset()), read
                            .cause());
                    assertTrue(read.reason(), read.reason().contains(winProcess(p) + ": _TOKEN at 0x" + Long
                            .toHexString(expected.token())));
                    pagedOut++;
                    continue;
                }
                assertTrue(p.name() + ": " + read.reason(), read.isPresent());
                WinToken t = read.get();
                assertEquals(List.of(), t.warnings());
                assertEquals(expected.token(), t.address());
                assertEquals(expected.refCount(), t.refCount());
                assertEquals(expected.tokenId(), t.tokenId());
                assertEquals(expected.authenticationId(), t.authenticationId());
                assertEquals(expected.sessionId(), t.sessionId());
                assertEquals(expected.present(), t.present());
                assertEquals(expected.enabled(), t.enabled());
                assertEquals(expected.enabledByDefault(), t.enabledByDefault());
                assertEquals(expected.integrityLevelIndex(), t.integrityLevelIndex());
                List<String> restricted = new ArrayList<>();
                t.restrictedSids().get().forEach(g -> restricted.add(g.sid().get() + "/0x" + Long.toHexString(g
                        .attributes())));
                assertEquals(p.name(), expected.restrictedSids().stream().map(g -> g.sid() + "/0x" + Long.toHexString(g
                        .attributes())).toList(), restricted);
                List<String> want = new ArrayList<>();
                expected.userAndGroups().forEach(g -> want.add(g.sid() + "/0x" + Long.toHexString(g.attributes())));
                List<String> got = new ArrayList<>();
                t.userAndGroups().get().forEach(g -> got.add(g.sid().get() + "/0x" + Long.toHexString(g
                        .attributes())));
                assertEquals(p.name(), want, got);
                assertEquals(expected.userAndGroups().get(0).sid(), t.user().orElseThrow().sid().get().toString());
                if (expected.integrityLevelIndex() >= 0) {
                    assertTrue(t.integrityLevel().orElseThrow().sid().get().toString().startsWith("S-1-16-"));
                }
                compared++;
            }
            assertEquals(1, pagedOut);
            assertTrue("a write-restricted service host", tokens.tokens().stream().anyMatch(t -> t.restrictedSids()
                    .stream().anyMatch(g -> g.sid().equals("S-1-5-33"))));
            assertEquals(d.truth().processes().size(), compared + pagedOut);
            for (String account : List.of("S-1-5-18", "S-1-5-19", "S-1-5-20")) {
                assertTrue(account, tokens.tokens().stream().anyMatch(t -> t.userAndGroups().get(0).sid().equals(
                        account)));
            }
            // as on a real system: SYSTEM debugs with SeDebugPrivilege enabled, the filtered user cannot
            WinToken system = reader.read(winProcess(d.truth().processes().get(0))).get();
            assertEquals("S-1-5-18", system.user().orElseThrow().sid().get().toString());
            assertTrue((system.enabled() & WindowsPrivilege.DEBUG.bit()) != 0);
            SynthTruth.Process explorer = d.truth().processes().stream().filter(p -> p.name().equals("explorer.exe"))
                    .findFirst().orElseThrow();
            WinToken user = reader.read(winProcess(explorer)).get();
            assertEquals(0, user.present() & WindowsPrivilege.DEBUG.bit());
            assertEquals("S-1-16-8192", user.integrityLevel().orElseThrow().sid().get().toString());
            assertTrue(tokens.tokens().stream().anyMatch(t -> t.userAndGroups().get(0).sid().endsWith("-1001")));
        }
    }

    /** The kernel's address space with some bytes overwritten, as smear or tampering would leave them. */
    static final class Patched implements Layer {
        private final Layer base;
        private final Map<Long, Long> qwords = new HashMap<>();

        Patched(Layer base) {
            this.base = base;
        }

        Patched qword(long va, long value) {
            qwords.put(va, value);
            return this;
        }

        @Override
        public String name() {
            return base.name() + " (patched)";
        }

        @Override
        public long size() {
            return base.size();
        }

        @Override
        public int read(long address, byte[] buffer, int offset, int length, ProvenanceSink sink) {
            int got = base.read(address, buffer, offset, length, sink);
            for (Map.Entry<Long, Long> q : qwords.entrySet()) {
                for (int i = 0; i < 8; i++) {
                    long at = q.getKey() + i;
                    if (at - address >= 0 && at - address < got) {
                        buffer[offset + (int) (at - address)] = (byte) (q.getValue() >>> (8 * i));
                    }
                }
            }
            return got;
        }
    }
}
