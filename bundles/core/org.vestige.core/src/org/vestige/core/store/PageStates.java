package org.vestige.core.store;

/**
 * The page states a backing store resolves, as contributions name them in their {@code resolves}
 * attribute and as the analyst names them to switch stores off ({@code --disable-store}).
 *
 * @since 0.1
 */
public final class PageStates {

    /** Pages written to a paging file: pagefile.sys, swapfile.sys. */
    public static final String PAGEFILE = "pagefile";

    /** Pages held in the memory-compression store (the virtual store's page-file number). */
    public static final String COMPRESSED = "compressed";

    private PageStates() {
    }
}
