package org.vestige.synth;

import java.util.List;
import java.util.Map;

import org.vestige.synth.internal.Json;

/**
 * The services the synthesizer gave the Service Control Manager: the records in {@code services.exe} and the
 * keys of the SYSTEM hive's {@code ControlSet001\Services}, one service only in memory and one only in the
 * registry.
 *
 * @param skipped   why services.exe holds no records (the build has no known record layout), or null
 * @param pid       the pid of services.exe
 * @param layout    the sources of the record layout written
 * @param header    the address of the service header ({@code serH}) in services.exe
 * @param hives     whether the SYSTEM hive is in memory, so the records can be compared with its keys
 * @param services  every service, records in list order (newest first), then the registry-only ones
 * @param pagedOut  the record pages paged out to pagefile.sys (slot 0): page address to file offset
 * @since 0.1
 */
public record ServiceTruth(String skipped, long pid, String layout, long header, boolean hives,
        List<Service> services, Map<Long, Long> pagedOut) {

    /**
     * One service.
     *
     * @param name        its name
     * @param displayName its display name
     * @param type        its SERVICE_* type bits
     * @param start       its start type
     * @param state       its state in memory (1 stopped, 4 running), or -1 when it is not in memory
     * @param binaryPath  the command line of its process, or a loaded driver's name; null when not running
     *                    or not in memory
     * @param pid         the process it runs in, or -1
     * @param imagePath   its key's ImagePath, or null when it has no key
     * @param record      its record's address in services.exe, or -1 when it is not in memory
     * @param order       its record's Order, or -1
     * @param inMemory    whether services.exe holds a record of it
     * @param inRegistry  whether the SYSTEM hive holds a key of it
     * @since 0.1
     */
    public record Service(String name, String displayName, long type, long start, long state, String binaryPath,
            long pid, String imagePath, long record, long order, boolean inMemory, boolean inRegistry) {
    }

    public ServiceTruth {
        services = List.copyOf(services);
        pagedOut = Map.copyOf(pagedOut);
    }

    /** Writes this truth as the value of a key of {@code truth.json}. */
    public void toJson(Json j) {
        j.open('{').key("skipped").value(skipped).key("pid").value(pid).key("layout").value(layout).key("header")
                .hex(header).key("hives").value(hives).key("pagedOut").open('{');
        pagedOut.forEach((page, offset) -> j.key("0x" + Long.toHexString(page)).hex(offset));
        j.end('}').key("services").open('[');
        for (Service s : services) {
            j.open('{').key("name").value(s.name()).key("displayName").value(s.displayName()).key("type").hex(s
                    .type()).key("start").value(s.start()).key("state").value(s.state()).key("binaryPath").value(s
                            .binaryPath()).key("pid").value(s.pid()).key("imagePath").value(s.imagePath())
                    .key("record").hex(s.record()).key("order").value(s.order()).key("inMemory").value(s.inMemory())
                    .key("inRegistry").value(s.inRegistry()).end('}');
        }
        j.end(']').end('}');
    }
}
