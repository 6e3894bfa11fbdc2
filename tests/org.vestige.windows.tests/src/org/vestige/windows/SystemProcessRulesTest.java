package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/**
 * The system-process rules against process lists a clean machine has and lists a compromised one has: a
 * wrong parent, a parent pid reused by a later process, a second lsass.exe.
 */
public class SystemProcessRulesTest {

    private static final Instant BOOT = Instant.parse("2026-01-05T08:00:00Z");

    private static WinProcess p(long pid, long ppid, String name, int secondsAfterBoot) {
        return new WinProcess(0xffff_c000_0000_0000L + pid * 0x1000, pid, ppid, name, BOOT.plusSeconds(
                secondsAfterBoot), null, 0x1000, name.equals("System") ? 0 : 0x7000_0000L, 4);
    }

    /** A clean boot: csrss.exe, wininit.exe and winlogon.exe started by smss.exe instances that have exited. */
    private static List<WinProcess> clean() {
        List<WinProcess> l = new ArrayList<>();
        l.add(p(4, 0, "System", 0));
        l.add(p(88, 4, "Registry", 1));
        l.add(p(300, 4, "smss.exe", 2));
        l.add(p(400, 392, "csrss.exe", 3));
        l.add(p(476, 392, "wininit.exe", 3));
        l.add(p(484, 468, "csrss.exe", 4));
        l.add(p(560, 468, "winlogon.exe", 4));
        l.add(p(620, 476, "services.exe", 5));
        l.add(p(640, 476, "lsass.exe", 5));
        l.add(p(760, 620, "svchost.exe", 6));
        l.add(p(2000, 760, "RuntimeBroker.exe", 60));
        l.add(p(3000, 2900, "explorer.exe", 70));
        return l;
    }

    @Test
    public void aCleanBootBreaksNoRule() {
        assertEquals(List.of(), SystemProcessRules.check(clean()));
    }

    @Test
    public void lsassStartedByExplorerIsAnUnexpectedParentAndASecondInstance() {
        List<WinProcess> l = clean();
        WinProcess fake = p(3100, 3000, "lsass.exe", 90);
        l.add(fake);
        List<Finding> f = SystemProcessRules.check(l);
        assertEquals(f.toString(), 3, f.size());
        Finding parent = f.get(0);
        assertEquals(Finding.Kind.UNEXPECTED_PARENT, parent.kind());
        assertEquals(fake, parent.process());
        assertTrue(parent.evidence(), parent.evidence().contains("explorer.exe (pid 3000); expected wininit.exe"));
        assertEquals(2, f.stream().filter(x -> x.kind() == Finding.Kind.UNEXPECTED_INSTANCES).count());
        assertTrue(f.get(1).evidence(), f.get(1).evidence().contains("2 instances of lsass.exe running (pids 640, 3100)"));
    }

    @Test
    public void csrssWithARunningParentOtherThanSmssIsFlagged() {
        List<WinProcess> l = clean();
        l.add(p(3200, 3000, "csrss.exe", 95));
        List<Finding> f = SystemProcessRules.check(l);
        assertEquals(f.toString(), 1, f.size());
        assertEquals(Finding.Kind.UNEXPECTED_PARENT, f.get(0).kind());
        assertTrue(f.get(0).evidence().contains("an smss.exe instance that has exited"));
    }

    @Test
    public void aParentPidReusedByALaterProcessIsNoParent() {
        List<WinProcess> l = clean();
        // wininit's smss parent (476's ppid 392) exited; a later notepad.exe got pid 392
        l.add(p(392, 3000, "notepad.exe", 500));
        assertEquals(List.of(), SystemProcessRules.check(l));
    }

    @Test
    public void exitedProcessesAreNotChecked() {
        List<WinProcess> l = clean();
        WinProcess p = p(3300, 3000, "services.exe", 100);
        l.add(new WinProcess(p.eprocess(), p.pid(), p.ppid(), p.name(), p.createTime(), BOOT.plusSeconds(101), p
                .dtb(), p.peb(), 0));
        assertEquals(List.of(), SystemProcessRules.check(l));
    }

    @Test
    public void aMalformedRuleNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemProcessRules.parse(
                "# rules\nlsass.exe wininit.exe 2 [HE]\n"));
        assertTrue(e.getMessage(), e.getMessage().contains("data/system-processes.txt line 2"));
        assertTrue(e.getMessage(), e.getMessage().contains("instances are 1 or *"));
    }

    @Test
    public void theShippedRulesCoverTheKeySystemProcesses() {
        for (String name : List.of("system", "smss.exe", "csrss.exe", "wininit.exe", "winlogon.exe", "services.exe",
                "lsass.exe", "svchost.exe")) {
            assertTrue(name, SystemProcessRules.all().containsKey(name));
        }
        assertTrue(SystemProcessRules.all().get("lsass.exe").single());
        assertTrue(SystemProcessRules.all().get("csrss.exe").exited());
    }
}
