package org.vestige.windows;

/**
 * A kernel loader entry found by scanning physical memory for its pool block (modscan), and whether
 * {@code PsLoadedModuleList} links it: an entry in pool memory that the list does not link is a driver
 * unloaded since, or one hidden by unlinking it.
 *
 * @param physical   the physical address of the entry
 * @param poolHeader the physical address of its pool header
 * @param module     the entry's fields; its {@link WinModule#entry()} is the entry's virtual address, or 0 when
 *                   neither the list nor the entry's own links lead back to it
 * @param listed     whether PsLoadedModuleList links it
 * @since 0.1
 */
public record ScannedModule(long physical, long poolHeader, WinModule module, boolean listed) {
}
