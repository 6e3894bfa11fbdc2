package org.vestige.windows;

/**
 * A {@code _DRIVER_OBJECT} found by scanning physical memory for its pool block (driverscan), with the listed
 * module its code lies in: a driver object whose DriverStart lies in no module on {@code PsLoadedModuleList}
 * belongs to a driver hidden from the list (or unloaded while its object lives on).
 *
 * @param physical   the physical address of its body
 * @param poolHeader the physical address of its pool header
 * @param address    its virtual address, or 0 when its driver extension does not lead back to it
 * @param name       DriverName, or why it could not be read
 * @param start      DriverStart
 * @param size       DriverSize
 * @param serviceKey its driver extension's ServiceKeyName, or why it could not be read
 * @param owner      the listed module whose image holds DriverStart, or null when none does
 * @since 0.1
 */
public record ScannedDriver(long physical, long poolHeader, long address, Readout<String> name, long start,
        long size, Readout<String> serviceKey, WinModule owner) {

    /** @return true when DriverStart lies in no module on PsLoadedModuleList */
    public boolean outsideListedModules() {
        return owner == null;
    }
}
