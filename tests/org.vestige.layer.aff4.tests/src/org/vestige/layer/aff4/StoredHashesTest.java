package org.vestige.layer.aff4;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.vestige.layer.aff4.Aff4Verifier.HashCheck;
import org.vestige.layer.aff4.Aff4Verifier.Report;
import org.vestige.layer.aff4.Aff4Verifier.Status;
import org.vestige.testing.TestData;

/** The hashes the reference volumes store about themselves all verify. */
public class StoredHashesTest {

    private static Report verify(String file) throws Exception {
        try (Aff4Resolver r = Aff4Resolver.open(TestData.require("aff4/" + file))) {
            return new Aff4Verifier(r).verify();
        }
    }

    private static void assertMatches(Report report, String what, String algorithm) {
        List<HashCheck> c = report.checks().stream()
                .filter(x -> x.what().equals(what) && x.algorithm().equals(algorithm)).toList();
        assertTrue("no " + what + " " + algorithm + " check in " + report.checks(), !c.isEmpty());
        for (HashCheck h : c) {
            assertEquals(h.toString(), Status.MATCH, h.status());
        }
    }

    @Test
    public void baseLinearVerifies() throws Exception {
        Report r = verify("Base-Linear.aff4");
        assertTrue(r.checks().toString(), r.verified());
        assertMatches(r, "aff4:hash", "SHA1");
        assertMatches(r, "aff4:hash", "MD5");
        assertMatches(r, "aff4:hash", "blockMapHashSHA512");
        assertMatches(r, "block hashes", "MD5");
        assertMatches(r, "block hashes", "SHA1");
        assertMatches(r, "aff4:blockMapHash", "SHA512");
        assertMatches(r, "aff4:mapHash", "SHA512");
        assertMatches(r, "aff4:mapIdxHash", "SHA512");
        assertMatches(r, "aff4:mapPointHash", "SHA512");
        assertMatches(r, "aff4:mapPathHash", "SHA512");
        assertMatches(r, "aff4:imageStreamIndexHash", "SHA512");
        assertEquals(13, r.count(Status.MATCH));
        assertEquals(1, r.count(Status.NOT_CHECKED));
    }

    @Test
    public void allHashesVerifiesEveryAlgorithmIncludingBlake2b() throws Exception {
        Report r = verify("Base-Linear-AllHashes.aff4");
        assertTrue(r.checks().toString(), r.verified());
        for (String alg : List.of("MD5", "SHA1", "SHA256", "SHA512", "Blake2b")) {
            assertMatches(r, "block hashes", alg);
            assertMatches(r, "aff4:hash", alg);
        }
        assertEquals(22, r.count(Status.MATCH));
    }

    @Test
    public void readErrorAndAllocatedVerify() throws Exception {
        for (String f : List.of("Base-Linear-ReadError.aff4", "Base-Allocated.aff4")) {
            Report r = verify(f);
            assertTrue(f + r.checks(), r.verified());
            assertEquals(f, 13, r.count(Status.MATCH));
        }
    }

    @Test
    public void micro7VerifiesItsPreReleaseHashNames() throws Exception {
        Report r = verify("Micro7.001.aff4");
        assertTrue(r.checks().toString(), r.verified());
        assertMatches(r, "aff4:blockHashesHash", "MD5");
        assertMatches(r, "aff4:blockHashesHash", "SHA1");
        // On the map, aff4:blockHashesHash is what the standard now calls aff4:blockMapHash.
        assertMatches(r, "aff4:blockMapHash", "SHA256");
        assertEquals(2, r.count(Status.NOT_CHECKED));
    }
}
