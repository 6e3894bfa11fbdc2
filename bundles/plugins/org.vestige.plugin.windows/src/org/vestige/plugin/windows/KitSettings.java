package org.vestige.plugin.windows;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;

/**
 * What the acquisition kit is made for: where it writes (a folder on the evidence drive), the tools it
 * runs (paths absolute or relative to the kit's own folder), the processes it does not try to dump, and
 * the machine's system drive, which it never writes to when the output is elsewhere.
 *
 * @param output      the output folder on the evidence drive, e.g. {@code E:\case-42}
 * @param systemDrive the drive Windows runs from, e.g. {@code C:}
 * @param winpmem     WinPmem 3.x ({@link #WINPMEM})
 * @param procdump    Sysinternals ProcDump
 * @param sevenZip    7-Zip's command-line {@code 7za.exe} / {@code 7z.exe}
 * @param rawCopy     a raw NTFS file copier for {@code $MFT} (e.g. {@code RawCopy.exe}), or empty to skip it
 * @param diskImager  the command line that images the disk, or empty to leave it to the responder
 * @param skip        process names never dumped: protected processes ProcDump cannot open
 */
record KitSettings(String output, String systemDrive, String winpmem, String procdump, String sevenZip,
        String rawCopy, String diskImager, List<String> skip) {

    /**
     * The WinPmem release the kit names: 3.1-rc3 and later acquire on machines running Virtualization Based
     * Security / Credential Guard, where WinPmem 2.x and 3.0 blue-screen (Velocidex/c-aff4 issue #33,
     * google/rekall issue #282, "Memory Acquisition and Virtual Secure Mode", df-stream.com, 2017); 3.3.rc3 is
     * the last of the 3.x line, whose {@code -p} copies the paging files into the same AFF4 volume as memory.
     */
    static final String WINPMEM = "winpmem-3.3.rc3.exe";

    /** Protected processes ProcDump cannot open (and Idle, which is not a process). */
    static final List<String> PROTECTED = List.of("Idle", "System", "Registry", "Secure System", "MemCompression",
            "Memory Compression");

    /** Characters that cmd.exe would interpret inside a quoted path. */
    private static final Pattern CMD_UNSAFE = Pattern.compile("[\"%^&|<>!\r\n]");

    private static final Pattern DRIVE = Pattern.compile("(?i)[a-z]:");

    static KitSettings from(AnalysisContext context) throws AnalysisException {
        String systemDrive = context.options().string("system-drive").orElse("C:").toUpperCase(Locale.ROOT);
        if (!DRIVE.matcher(systemDrive).matches()) {
            throw new AnalysisException("--system-drive " + systemDrive + " is not a drive letter such as C:");
        }
        List<String> skip = context.options().has("skip") ? context.options().all("skip", String.class) : PROTECTED;
        KitSettings s = new KitSettings(context.options().string("evidence-folder").orElse("E:\\vestige-collection"),
                systemDrive, context.options().string("winpmem").orElse("tools\\" + WINPMEM), context.options()
                        .string("procdump").orElse("tools\\procdump64.exe"), context.options().string("sevenzip")
                                .orElse("tools\\7za.exe"), context.options().string("rawcopy").orElse(""),
                context.options().string("disk-imager").orElse(""), List.copyOf(skip));
        for (String value : List.of(s.output, s.winpmem, s.procdump, s.sevenZip, s.rawCopy)) {
            if (CMD_UNSAFE.matcher(value).find()) {
                throw new AnalysisException("'" + value + "' holds a character cmd.exe would interpret (\" % ^ & | < > !)");
            }
        }
        if (s.diskImager.indexOf('\n') >= 0 || s.diskImager.indexOf('\r') >= 0) {
            throw new AnalysisException("--disk-imager is one command line");
        }
        if (s.output.length() < 3 || !DRIVE.matcher(s.output.substring(0, 2)).matches() || s.output.charAt(2) != '\\') {
            throw new AnalysisException("--evidence-folder " + s.output + " is not a folder on a drive, such as E:\\case-42");
        }
        return s;
    }

    /** @return the output folder's drive, e.g. {@code E:} */
    String outputDrive() {
        return output.substring(0, 2).toUpperCase(Locale.ROOT);
    }

    /** @return whether the output lies on the system drive (the kit then says so and asks to be told) */
    boolean outputOnSystemDrive() {
        return outputDrive().equals(systemDrive);
    }
}
