package org.vestige.windows;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

/** SIDs from their binary and text forms, their well-known names, privilege values and group attributes. */
public class SidTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    public void parsesALocalAccountSid() {
        // S-1-5-21-1004336348-1177238915-682030210-1001 as a _SID holds it
        byte[] b = hex("01 05 000000000005 15000000 dcf4dc3b 833d2b46 82f4a628 e9030000");
        Sid sid = Sid.parse(b, 0);
        assertEquals("S-1-5-21-1004336348-1177238915-682030210-1001", sid.toString());
        assertEquals(1001, sid.rid());
        assertEquals("S-1-5-21-1004336348-1177238915-682030210", sid.domain().toString());
        assertEquals(28, sid.size());
        assertArrayEquals(b, sid.bytes());
        assertEquals(sid, Sid.parse(sid.toString()));
    }

    @Test
    public void parsesAtAnOffsetAndTheAuthorityIsBigEndian() {
        byte[] b = hex("ffff 01 01 000000000010 00300000");
        assertEquals("S-1-16-12288", Sid.parse(b, 2).toString());
        // an authority of 2^32 or more is shown in hex, as ConvertSidToStringSid does
        assertEquals("S-1-0x010000000000-7", Sid.parse(hex("01 01 010000000000 07000000"), 0).toString());
        assertEquals("S-1-0", Sid.parse(hex("01 00 000000000000"), 0).toString());
    }

    @Test
    public void rejectsAbsurdSubAuthorityCountsRevisionsAndShortInput() {
        for (String bad : List.of("01 10 000000000005", "01 ff 000000000005 00000000", "02 01 000000000005 12000000",
                "01 02 000000000005 12000000", "01 01 0000")) {
            try {
                Sid.parse(hex(bad), 0);
                fail("parsed " + bad);
            } catch (IllegalArgumentException e) {
                assertFalse(e.getMessage().isEmpty());
            }
        }
        try {
            Sid.parse(hex("01 10 000000000005"), 0);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("SubAuthorityCount 16 exceeds 15"));
        }
        try {
            Sid.parse("S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15");
            fail("16 sub-authorities");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("more than 15"));
        }
        try {
            Sid.parse("X-1-5");
            fail("not a SID");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not a SID string"));
        }
    }

    @Test
    public void wellKnownNames() {
        assertEquals(Optional.of("Local System"), WellKnownSids.name(Sid.parse("S-1-5-18")));
        assertEquals(Optional.of("Local Service"), WellKnownSids.name(Sid.parse("S-1-5-19")));
        assertEquals(Optional.of("Network Service"), WellKnownSids.name(Sid.parse("S-1-5-20")));
        assertEquals(Optional.of("Administrators"), WellKnownSids.name(Sid.parse("S-1-5-32-544")));
        assertEquals(Optional.of("Everyone"), WellKnownSids.name(Sid.parse("S-1-1-0")));
        assertEquals(Optional.of("High Mandatory Level"), WellKnownSids.name(Sid.parse("S-1-16-12288")));
        assertEquals(Optional.of("Mandatory Level 12544"), WellKnownSids.name(Sid.parse("S-1-16-12544")));
        assertEquals(Optional.of("Logon Session"), WellKnownSids.name(Sid.parse("S-1-5-5-0-179434")));
        assertTrue(WellKnownSids.isLogonSession(Sid.parse("S-1-5-5-0-179434")));
        assertEquals(Optional.of("Administrator"), WellKnownSids.name(Sid.parse("S-1-5-21-1-2-3-500")));
        assertEquals(Optional.of("Guest"), WellKnownSids.name(Sid.parse("S-1-5-21-1-2-3-501")));
        assertEquals(Optional.of("Domain Users"), WellKnownSids.name(Sid.parse("S-1-5-21-1-2-3-513")));
        assertTrue(WellKnownSids.isDomainAccount(Sid.parse("S-1-5-21-1-2-3-1001")));
        assertEquals(Optional.empty(), WellKnownSids.name(Sid.parse("S-1-5-21-1-2-3-1001")));
        assertEquals(Optional.empty(), WellKnownSids.name(Sid.parse("S-1-5-90-0-1")));
        // the domain-relative names need the S-1-5-21 shape: RID 500 of another authority is nobody
        assertEquals(Optional.empty(), WellKnownSids.name(Sid.parse("S-1-5-32-500")));
    }

    @Test
    public void privilegesByLuid() {
        assertEquals("SeCreateTokenPrivilege", WindowsPrivilege.of(2).orElseThrow().constant());
        assertEquals("SeDebugPrivilege", WindowsPrivilege.of(20).orElseThrow().constant());
        assertEquals("Debug programs", WindowsPrivilege.of(20).orElseThrow().description());
        assertEquals("SeChangeNotifyPrivilege", WindowsPrivilege.of(23).orElseThrow().constant());
        assertEquals("SeImpersonatePrivilege", WindowsPrivilege.of(29).orElseThrow().constant());
        assertEquals("SeDelegateSessionUserImpersonatePrivilege", WindowsPrivilege.of(36).orElseThrow().constant());
        assertEquals(Optional.empty(), WindowsPrivilege.of(0));
        assertEquals(Optional.empty(), WindowsPrivilege.of(1));
        assertEquals(Optional.empty(), WindowsPrivilege.of(37));
        assertEquals(Optional.empty(), WindowsPrivilege.of(64));
        assertEquals(35, WindowsPrivilege.values().length);
        assertEquals((1L << 20) | (1L << 23), WindowsPrivilege.mask(WindowsPrivilege.DEBUG,
                WindowsPrivilege.CHANGE_NOTIFY));
    }

    @Test
    public void groupAttributes() {
        assertEquals(List.of("Mandatory", "EnabledByDefault", "Enabled"), TokenSid.attributeNames(7));
        assertEquals(List.of("Mandatory", "EnabledByDefault", "Enabled", "LogonId"), TokenSid.attributeNames(
                0xC0000007L));
        assertEquals(List.of("Integrity", "IntegrityEnabled"), TokenSid.attributeNames(0x60));
        assertEquals(List.of("DenyOnly"), TokenSid.attributeNames(0x10));
        assertEquals(List.of("EnabledByDefault", "Enabled", "Owner"), TokenSid.attributeNames(0xE));
        assertEquals(List.of("Enabled", "0x100"), TokenSid.attributeNames(0x104));
        assertEquals(List.of(), TokenSid.attributeNames(0));
    }
}
