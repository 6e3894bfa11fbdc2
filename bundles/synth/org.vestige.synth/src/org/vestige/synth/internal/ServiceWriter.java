package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.vestige.registry.KeySpec;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.ServiceTruth;
import org.vestige.windows.ServiceLayout;

/**
 * Writes the Service Control Manager's records into {@code services.exe} as {@code windows.svcscan} reads
 * them, in the record layout of the build ({@link ServiceLayout}'s table): a {@code serH} header pointing at
 * the newest record, each record pointing at the one before, their names, and one {@code _SERVICE_PROCESS}
 * per svchost.exe the running services share. With hives, the same services are keys of SYSTEM's
 * {@code ControlSet001\Services} (the hive writer's drivers get records too), except one service only in
 * memory and one only in the registry. The page holding the newer half of the records is paged out to
 * pagefile.sys, and the header has a page of its own.
 */
final class ServiceWriter {

    /** Where the records' region starts in services.exe, before a random offset. */
    private static final long REGION = 0x0000_0000_0600_0000L;
    private static final int REGION_PAGES = 24;
    private static final String MEMORY_ONLY = "netupd";

    /** One planned service. */
    private static final class Planned {
        final String name;
        final String displayName;
        final long type;
        final long start;
        long state = 1;
        String imagePath;
        String binaryPath;
        long pid = -1;
        boolean inMemory = true;
        boolean inRegistry = true;
        long record = -1;
        long order = -1;

        Planned(String name, String displayName, long type, long start) {
            this.name = name;
            this.displayName = displayName;
            this.type = type;
            this.start = start;
        }
    }

    private final Machine machine;
    private final PlacedProcess scm;
    private final List<Planned> services = new ArrayList<>();
    private boolean hives;

    /** Plans the Win32 services, the running ones in the svchost.exe of their group. */
    ServiceWriter(Machine machine, List<PlacedProcess> procs) {
        this.machine = machine;
        this.scm = procs.stream().filter(p -> p.name.equals("services.exe")).findFirst().orElseThrow();
        String p = machine.modern() ? " -p" : "";
        Object[][] shared = {
            {"DcomLaunch", "DCOM Server Process Launcher", "DcomLaunch", 2L},
            {"RpcSs", "Remote Procedure Call (RPC)", "RPCSS", 2L},
            {"Dhcp", "DHCP Client", "LocalServiceNetworkRestricted", 2L},
            {"EventLog", "Windows Event Log", "LocalServiceNetworkRestricted", 2L},
            {"Schedule", "Task Scheduler", "netsvcs", 2L},
            {"Dnscache", "DNS Client", "NetworkService", 2L},
            {"wuauserv", "Windows Update", "netsvcs", 3L},
            {MEMORY_ONLY, "Network Update Helper", "netsvcs", 2L}};
        for (Object[] s : shared) {
            Planned x = new Planned((String) s[0], (String) s[1], 0x20, (Long) s[3]);
            x.imagePath = "%SystemRoot%\\system32\\svchost.exe -k " + s[2] + p;
            Optional<PlacedProcess> host = procs.stream().filter(h -> h.name.equals("svchost.exe") && (h.commandLine
                    .endsWith(" -k " + s[2]) || h.commandLine.contains(" -k " + s[2] + " "))).findFirst();
            if (x.start == 2 && host.isPresent()) {
                x.state = 4;
                x.pid = host.get().pid;
                x.binaryPath = host.get().commandLine;
            }
            services.add(x);
        }
        services.get(services.size() - 1).inRegistry = false;
        Planned spooler = new Planned("Spooler", "Print Spooler", 0x110, 2);
        spooler.imagePath = "%SystemRoot%\\System32\\spoolsv.exe";
        services.add(spooler);
        Planned defender = new Planned("WinDefend", "Microsoft Defender Antivirus Service", 0x10, 4);
        defender.imagePath = "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\MsMpEng.exe\"";
        services.add(defender);
        Planned legacy = new Planned("LegacyAgent", "Legacy Monitoring Agent", 0x10, 4);
        legacy.imagePath = "\"C:\\Program Files\\Legacy\\agent.exe\"";
        legacy.inMemory = false;
        services.add(legacy);
    }

    /**
     * Adds the planned services' keys to SYSTEM and plans a record for each service key the hive already
     * holds (the hive writer's drivers), every third one loaded.
     */
    void addToSystem(KeySpec system) {
        hives = true;
        KeySpec keys = system.path("ControlSet001\\Services");
        int loaded = 0;
        for (KeySpec k : keys.subkeys()) {
            Map<String, byte[]> values = new LinkedHashMap<>();
            k.values().forEach(v -> values.put(v.name(), v.data()));
            if (!values.containsKey("Type")) {
                continue;
            }
            Planned d = new Planned(k.name(), text(values.get("DisplayName")), Le.get(values.get("Type"), 0, 4),
                    values.containsKey("Start") ? Le.get(values.get("Start"), 0, 4) : 3);
            d.imagePath = text(values.get("ImagePath"));
            if ((d.type & 0x30) == 0 && loaded++ % 3 == 0) {
                d.state = 4;
                d.binaryPath = "\\Driver\\" + d.name;
            }
            services.add(d);
        }
        for (Planned s : services) {
            if (s.inRegistry && s.imagePath != null && keys.subkeys().stream().noneMatch(k -> k.name().equals(
                    s.name))) {
                keys.subkey(s.name).expandString("ImagePath", s.imagePath).string("DisplayName", s.displayName)
                        .dword("Type", (int) s.type).dword("Start", (int) s.start).dword("ErrorControl", 1);
            }
        }
    }

    private static String text(byte[] utf16) {
        if (utf16 == null) {
            return null;
        }
        String s = new String(utf16, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    /** Writes the records into services.exe and returns the truth. */
    ServiceTruth write() {
        Optional<ServiceLayout> found = ServiceLayout.forBuild(machine.build);
        if (found.isEmpty()) {
            return new ServiceTruth("no service record layout for build " + machine.build, scm.pid, null, -1, hives,
                    List.of(), Map.of());
        }
        ServiceLayout layout = found.get();
        List<Planned> memory = services.stream().filter(s -> s.inMemory).sorted(Comparator.comparing(s -> s.name
                .toLowerCase(Locale.ROOT))).toList();
        long base = REGION + 0x10000L * machine.random.nextInt(0x100);
        PageTableBuilder space = scm.space;
        ProcessWriter.UserHeap heap = new ProcessWriter.UserHeap(space, base);
        Map<Long, Long> processes = new LinkedHashMap<>();
        long previous = 0;
        for (int i = 0; i < memory.size(); i++) {
            Planned s = memory.get(i);
            if (i == memory.size() / 2) {
                heap.cursor = (heap.cursor + 0xfff) & ~0xfffL; // the newer half begins a page
            }
            byte[] r = new byte[(layout.recordSize() + 0xf) & ~0xf];
            if (layout.recordTag() != null) {
                System.arraycopy(layout.recordTag().getBytes(StandardCharsets.US_ASCII), 0, r, 0, 4);
            }
            s.order = i + 1;
            Le.put(r, layout.prev(), previous, 8);
            Le.put(r, layout.name(), heap.string(s.name), 8);
            Le.put(r, layout.displayName(), heap.string(s.displayName), 8);
            Le.put(r, layout.order(), s.order, 4);
            Le.put(r, layout.start(), s.start, 4);
            Le.put(r, layout.type(), s.type, 4);
            Le.put(r, layout.state(), s.state, 4);
            if (s.binaryPath != null && (s.type & 0x30) == 0) {
                Le.put(r, layout.process(), heap.string(s.binaryPath), 8);
            } else if (s.binaryPath != null) {
                long process = processes.computeIfAbsent(s.pid, pid -> {
                    byte[] b = new byte[(layout.processSize() + 0xf) & ~0xf];
                    Le.put(b, layout.binaryPath(), heap.string(s.binaryPath), 8);
                    Le.put(b, layout.processId(), pid, 4);
                    return heap.alloc(b);
                });
                Le.put(r, layout.process(), process, 8);
            }
            s.record = heap.alloc(r);
            previous = s.record;
        }
        heap.cursor = (heap.cursor + 0xfff) & ~0xfffL; // the header on a page of its own
        byte[] header = new byte[layout.headerSize()];
        System.arraycopy(layout.headerTag().getBytes(StandardCharsets.US_ASCII), 0, header, 0, 4);
        Le.put(header, layout.headerRecord(), previous, 8);
        long headerVa = heap.alloc(header);
        long end = heap.cursor;
        if (end > base + REGION_PAGES * 4096L) {
            throw new IllegalStateException("the service records overflow their region");
        }
        scm.vadRanges.add(new long[] {base, base + REGION_PAGES * 4096L - 1, 4, 0, 1, (end - base + 0xfff) >>> 12});
        scm.vadFiles.add(null);
        // the page holding the newer half of the records leaves memory for pagefile.sys
        long pagedPage = memory.get(memory.size() / 2).record & ~0xfffL;
        byte[] page = machine.memory.readPage(space.translate(pagedPage) & ~0xfffL);
        long n = Machine.freePagingFilePage(machine.pagefile, 0xB00, machine.random);
        machine.pagefile.put(n << 12, page);
        space.setPte(pagedPage, machine.pte.software(0, n, 4, true));
        scm.outOfRam.put(pagedPage, page);
        List<ServiceTruth.Service> truth = new ArrayList<>();
        List<Planned> listOrder = new ArrayList<>();
        for (int i = memory.size() - 1; i >= 0; i--) {
            listOrder.add(memory.get(i));
        }
        services.stream().filter(s -> !s.inMemory && hives).forEach(listOrder::add);
        for (Planned s : listOrder) {
            truth.add(new ServiceTruth.Service(s.name, s.displayName, s.type, s.start, s.inMemory ? s.state : -1,
                    s.binaryPath, s.pid, s.inRegistry && hives ? s.imagePath : null, s.record, s.order, s.inMemory,
                    s.inRegistry && hives));
        }
        return new ServiceTruth(null, scm.pid, layout.source(), headerVa, hives, truth, Map.of(pagedPage, n << 12));
    }
}
