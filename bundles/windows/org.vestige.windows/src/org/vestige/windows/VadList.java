package org.vestige.windows;

import java.util.List;

/**
 * The result of a VAD-tree walk: the descriptors in address order and every inconsistency met (an
 * unreadable node, a cycle, nodes out of order), each naming the node concerned.
 *
 * @since 0.1
 */
public record VadList(List<WinVad> vads, List<String> warnings) {

    public VadList {
        vads = List.copyOf(vads);
        warnings = List.copyOf(warnings);
    }

    /** @return the VAD whose range holds {@code va}, or null (binary search; the list is in address order) */
    public WinVad find(long va) {
        int lo = 0;
        int hi = vads.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            WinVad v = vads.get(mid);
            if (Long.compareUnsigned(va, v.start()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(va, v.end()) > 0) {
                lo = mid + 1;
            } else {
                return v;
            }
        }
        return null;
    }
}
