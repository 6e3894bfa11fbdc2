package org.vestige.layer.compressed;

import java.util.List;

/**
 * Where the memory-compression store manager was found and how.
 *
 * @param smGlobals the kernel global {@code SmGlobals}
 * @param manager   the store manager ({@code _SMKM_STORE_MGR}): SmGlobals itself before build 22601,
 *                  else found through the pointer SmGlobals holds
 * @param method    how SmGlobals was found: the profile's symbol, the CACHEALI scan or the code signature
 * @param attempts  every way tried before, and why each failed
 * @since 0.1
 */
public record StoreManagerLocation(long smGlobals, long manager, String method, List<String> attempts) {

    public StoreManagerLocation {
        attempts = List.copyOf(attempts);
    }
}
