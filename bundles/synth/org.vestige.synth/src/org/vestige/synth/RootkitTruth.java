package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * What the synthesizer laid out for kernel-mode rootkit checks: every loader entry in pool memory tagged
 * 'MmLd' (those on {@code PsLoadedModuleList} and, planted, a rogue driver's entry unlinked from it), every
 * {@code _DRIVER_OBJECT} in pool memory tagged 'Driv' (the regular drivers' and, planted, the rogue one's whose
 * DriverStart lies in no listed module), and the kernel's system service table with, planted, one entry
 * hooked into the rogue driver. With {@link SynthOptions#plants()} off nothing here is planted.
 *
 * @param skipped       why the image has no driver objects (the profile lacks {@code _DRIVER_OBJECT}), or null
 * @param loaderEntries every loader entry in 'MmLd' pool, in the order placed
 * @param drivers       every driver object in 'Driv' pool, in the order placed
 * @param serviceTable  the kernel's system service table
 * @since 0.1
 */
public record RootkitTruth(String skipped, List<LoaderEntry> loaderEntries, List<Driver> drivers,
        ServiceTable serviceTable) {

    public RootkitTruth {
        loaderEntries = List.copyOf(loaderEntries);
        drivers = List.copyOf(drivers);
    }

    /**
     * One loader entry ({@code _KLDR_DATA_TABLE_ENTRY}, or {@code _LDR_DATA_TABLE_ENTRY} where the profile has
     * no kernel variant).
     *
     * @param address  its virtual address
     * @param physical its physical address
     * @param base     DllBase
     * @param size     SizeOfImage
     * @param name     BaseDllName
     * @param path     FullDllName
     * @param listed   whether it is linked on PsLoadedModuleList
     * @param planted  whether it is the rogue driver's (unlinked, its links pointing at itself)
     * @since 0.1
     */
    public record LoaderEntry(long address, long physical, long base, long size, String name, String path,
            boolean listed, boolean planted) {
    }

    /**
     * One driver object.
     *
     * @param address    its body's virtual address
     * @param physical   its body's physical address
     * @param name       DriverName
     * @param start      DriverStart
     * @param size       DriverSize
     * @param serviceKey its driver extension's ServiceKeyName, or null when the profile has no
     *                   {@code _DRIVER_EXTENSION}
     * @param planted    whether it is the rogue driver's (DriverStart in no listed module)
     * @since 0.1
     */
    public record Driver(long address, long physical, String name, long start, long size, String serviceKey,
            boolean planted) {
    }

    /**
     * The kernel's {@code KeServiceDescriptorTable} and the table of system services it points at.
     *
     * @param descriptor the virtual address of KeServiceDescriptorTable
     * @param table      the virtual address of KiServiceTable
     * @param signature  the virtual address of the code that loads the descriptor's address
     *                   ({@code lea r10, [rip+KeServiceDescriptorTable]} in KiSystemServiceRepeat)
     * @param services   every entry, by index
     * @since 0.1
     */
    public record ServiceTable(long descriptor, long table, long signature, List<Service> services) {

        public ServiceTable {
            services = List.copyOf(services);
        }
    }

    /**
     * One system service.
     *
     * @param index          its system service number
     * @param target         the routine it dispatches to
     * @param stackArguments the argument count in stack slots (the entry's low 4 bits)
     * @param owner          the name of the module holding the routine
     * @param hooked         whether it was hooked into the rogue driver (planted)
     * @since 0.1
     */
    public record Service(int index, long target, int stackArguments, String owner, boolean hooked) {
    }

    /** Writes this truth as the value of the current JSON key. */
    public void toJson(Json j) {
        j.open('{').key("skipped").value(skipped).key("loaderEntries").open('[');
        for (LoaderEntry e : loaderEntries) {
            j.open('{').key("address").hex(e.address()).key("physical").hex(e.physical()).key("base").hex(e.base())
                    .key("size").hex(e.size()).key("name").value(e.name()).key("path").value(e.path()).key("listed")
                    .value(e.listed()).key("planted").value(e.planted()).end('}');
        }
        j.end(']').key("drivers").open('[');
        for (Driver d : drivers) {
            j.open('{').key("address").hex(d.address()).key("physical").hex(d.physical()).key("name").value(d.name())
                    .key("start").hex(d.start()).key("size").hex(d.size()).key("serviceKey").value(d.serviceKey())
                    .key("planted").value(d.planted()).end('}');
        }
        j.end(']').key("serviceTable").open('{').key("descriptor").hex(serviceTable.descriptor()).key("table").hex(
                serviceTable.table()).key("signature").hex(serviceTable.signature()).key("services").open('[');
        for (Service s : serviceTable.services()) {
            j.open('{').key("index").value(s.index()).key("target").hex(s.target()).key("stackArguments").value(s
                    .stackArguments()).key("owner").value(s.owner()).key("hooked").value(s.hooked()).end('}');
        }
        j.end(']').end('}').end('}');
    }
}
