package org.vestige.core.evidence;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A paging file supplied with the evidence ({@code --pagefile [N=]FILE}): the kernel's page-file
 * number when the analyst knows it, else -1 to take it from the kernel's own records.
 *
 * @since 0.1
 */
public record PagefileSpec(int slot, Path path) {

    /** Largest page-file number Windows uses (16 slots). */
    public static final int MAX_SLOT = 15;

    /**
     * Parses {@code FILE} or {@code N=FILE}.
     *
     * @throws IllegalArgumentException when N is not a page-file number 0..15
     */
    public static PagefileSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq > 0 && text.substring(0, eq).chars().allMatch(Character::isDigit)) {
            int slot = Integer.parseInt(text.substring(0, eq));
            if (slot > MAX_SLOT) {
                throw new IllegalArgumentException("page-file number " + slot + " in '" + text
                        + "' is out of range (0.." + MAX_SLOT + ")");
            }
            return new PagefileSpec(slot, Paths.get(text.substring(eq + 1)));
        }
        return new PagefileSpec(-1, Paths.get(text));
    }
}
