package org.vestige.fuzz;

import java.util.Collection;

/** Touches the decoded records a parser returns, a bounded number of them, through their {@code toString}. */
final class Records {

    static final int LIMIT = 256;

    private Records() {
    }

    static void touch(Collection<?> records) {
        int n = 0;
        for (Object r : records) {
            if (n++ == LIMIT) {
                return;
            }
            String.valueOf(r);
        }
    }
}
