package org.vestige.windows;

import java.util.Map;
import java.util.Optional;

/**
 * The kernel's object types as {@code nt!ObTypeIndexTable} lists them, and the header cookie their
 * indexes are encoded with.
 *
 * @param address the address of ObTypeIndexTable
 * @param cookie  the byte {@code nt!ObHeaderCookie} (Windows 10 and later), or -1 when headers hold the
 *                index itself (Windows 7 and 8)
 * @param names   each type's name ({@code _OBJECT_TYPE.Name}) by its index
 * @since 0.1
 */
public record ObjectTypeTable(long address, int cookie, Map<Integer, String> names) {

    /** @return the type index an {@code _OBJECT_HEADER} at {@code header} with TypeIndex byte {@code raw} stands for */
    public int decode(int raw, long header) {
        return cookie < 0 ? raw & 0xff : (raw ^ cookie ^ (int) ((header >>> 8) & 0xff)) & 0xff;
    }

    /** @return the type's name, or empty when the table holds no type at that index */
    public Optional<String> name(int index) {
        return Optional.ofNullable(names.get(index));
    }
}
