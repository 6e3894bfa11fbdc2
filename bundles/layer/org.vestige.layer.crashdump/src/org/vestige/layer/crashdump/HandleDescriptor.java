package org.vestige.layer.crashdump;

/**
 * An open handle of the dumped process ({@code MINIDUMP_HANDLE_DESCRIPTOR}).
 *
 * @param handle        the handle value
 * @param typeName      the object type, e.g. {@code File}, empty when not recorded
 * @param objectName    the object name, empty when not recorded
 * @param attributes    handle attributes
 * @param grantedAccess granted access mask
 * @param handleCount   the object's handle count
 * @param pointerCount  the object's pointer count
 * @since 0.1
 */
public record HandleDescriptor(long handle, String typeName, String objectName, int attributes, int grantedAccess,
        int handleCount, int pointerCount) {
}
