package org.example.suspicious;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How Windows starts its own processes: for each system image, the parent it must have, the folder
 * it runs from and whether more than one may run. Malware that borrows a system process's name
 * rarely gets all three right.
 *
 * <p>A parent of {@link #EXITED} means that the parent exits by design once it has started the
 * process: a session's copy of smss.exe starts csrss.exe, wininit.exe and winlogon.exe and then
 * exits; userinit.exe starts explorer.exe and exits. A live parent there is the anomaly.
 */
final class Lineage {

    /** The parent exits by design: the process must have no live parent. */
    static final String EXITED = "(exited)";

    /** The process has no parent at all (System, pid 4, parent 0). */
    static final String NONE = "(none)";

    /** No user-mode image: the process has no PEB and no path to check. */
    static final String NO_IMAGE = null;

    private static final String SYSTEM32 = "\\windows\\system32\\";

    /** _EPROCESS.ImageFileName holds 15 characters: "RuntimeBroker.exe" reads "RuntimeBroker.e". */
    private static final int IMAGE_FILE_NAME_LENGTH = 15;

    /**
     * One system process.
     *
     * @param name     image file name, lower case
     * @param parent   the parent's image name (lower case), {@link #EXITED} or {@link #NONE}
     * @param path     the image's path without the drive, lower case, or {@link #NO_IMAGE}
     * @param single   at most one instance runs
     */
    record Expectation(String name, String parent, String path, boolean single) {
    }

    private static final Map<String, Expectation> EXPECTED = List.of(
            new Expectation("system", NONE, NO_IMAGE, true),
            new Expectation("registry", "system", NO_IMAGE, true),
            new Expectation("memcompression", "system", NO_IMAGE, true),
            new Expectation("smss.exe", "system", SYSTEM32 + "smss.exe", true),
            new Expectation("csrss.exe", EXITED, SYSTEM32 + "csrss.exe", false),
            new Expectation("wininit.exe", EXITED, SYSTEM32 + "wininit.exe", true),
            new Expectation("winlogon.exe", EXITED, SYSTEM32 + "winlogon.exe", false),
            new Expectation("services.exe", "wininit.exe", SYSTEM32 + "services.exe", true),
            new Expectation("lsass.exe", "wininit.exe", SYSTEM32 + "lsass.exe", true),
            new Expectation("lsaiso.exe", "wininit.exe", SYSTEM32 + "lsaiso.exe", true),
            new Expectation("svchost.exe", "services.exe", SYSTEM32 + "svchost.exe", false),
            new Expectation("taskhostw.exe", "svchost.exe", SYSTEM32 + "taskhostw.exe", false),
            new Expectation("runtimebroker.exe", "svchost.exe", SYSTEM32 + "runtimebroker.exe", false),
            new Expectation("dwm.exe", "winlogon.exe", SYSTEM32 + "dwm.exe", false),
            new Expectation("explorer.exe", EXITED, "\\windows\\explorer.exe", false))
            .stream().collect(Collectors.toUnmodifiableMap(e -> key(e.name()), Function.identity()));

    private Lineage() {
    }

    /** @return what Windows does for a process of this image name, if it is one of its own */
    static Optional<Expectation> of(String imageName) {
        return Optional.ofNullable(EXPECTED.get(key(imageName)));
    }

    /** @return the name as the kernel stores it: lower case, cut to ImageFileName's length */
    static String key(String imageName) {
        String name = imageName.toLowerCase(Locale.ROOT);
        return name.length() > IMAGE_FILE_NAME_LENGTH ? name.substring(0, IMAGE_FILE_NAME_LENGTH) : name;
    }

    /**
     * @return the system process whose name is one edit (an inserted, deleted or replaced letter, or
     *         two letters swapped) from this one, the usual way of hiding in plain sight
     *         ("scvhost.exe", "lsas.exe", "svch0st.exe"); two edits would already catch Windows's own
     *         sihost.exe
     */
    static Optional<String> lookalike(String imageName) {
        String name = key(imageName);
        if (EXPECTED.containsKey(name)) {
            return Optional.empty();
        }
        for (Map.Entry<String, Expectation> known : EXPECTED.entrySet()) {
            if (distance(name, known.getKey()) == 1) {
                return Optional.of(known.getValue().name());
            }
        }
        return Optional.empty();
    }

    /**
     * Brings a Windows image path to the form the expectations use: lower case, no NT object prefix,
     * {@code \SystemRoot} as {@code \windows}, no drive letter.
     */
    static String normalise(String path) {
        String p = path.toLowerCase(Locale.ROOT).replace('/', '\\');
        if (p.startsWith("\\??\\")) {
            p = p.substring(4);
        }
        if (p.startsWith("\\systemroot\\")) {
            p = "\\windows\\" + p.substring("\\systemroot\\".length());
        } else if (p.startsWith("%systemroot%\\")) {
            p = "\\windows\\" + p.substring("%systemroot%\\".length());
        }
        if (p.length() >= 2 && p.charAt(1) == ':') {
            p = p.substring(2);
        }
        return p;
    }

    /** Optimal string alignment distance: edits with adjacent transpositions counted as one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
