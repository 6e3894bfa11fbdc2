package org.vestige.cli.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.cli.ExitCode;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The declaration of the {@code vestige} command line: its global options with their descriptions,
 * the synopsis and the exit codes. The usage text is generated from it by picocli, and the option
 * table in the README is checked against it, so this is the one place an option is described.
 */
public final class CommandLineSpec {

    private CommandLineSpec() {
    }

    /**
     * @return the command as {@code vestige --help} describes it: the global options, the command
     *         and its arguments as one positional list, the synopsis and the exit codes
     */
    public static CommandSpec command() {
        CommandSpec spec = CommandSpec.create().name("vestige");
        addGlobals(spec);
        spec.addPositional(PositionalParamSpec.builder().index("0..*").paramLabel("COMMAND").type(List.class)
                .auxiliaryTypes(String.class).hidden(true).build());
        spec.parser().stopAtPositional(true);
        spec.usageMessage()
                // after picocli's "Usage: " heading
                .customSynopsis("vestige -f EVIDENCE [OPTIONS] PLUGIN [PLUGIN OPTIONS]",
                        "       vestige plugins             list the analyses",
                        "       vestige help PLUGIN         describe one analysis and its options",
                        "       vestige -f EVIDENCE shell   an interactive session on the case, opened once",
                        "       vestige -f EVIDENCE forensic -o case.db [--analyses ID,ID...] [--jobs N]",
                        "                                   every analysis that needs no options and the timeline"
                                + " into one",
                        "                                   case database, on every core; run again to resume",
                        "       vestige -f EVIDENCE [OPTIONS] PLUGIN [PLUGIN OPTIONS] PLUGIN [PLUGIN OPTIONS]...",
                        "                                   several analyses on one case, opened once")
                .sortOptions(false)
                .description("", "Windows memory forensics: runs analyses on a memory image.")
                .optionListHeading("%nOptions (before or after PLUGIN):%n")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes())
                .footer("%nResults go to stdout (or with --save to files under -o); progress, diagnostics and "
                        + "written files go to stderr. With several analyses the exit code is the most serious of "
                        + "theirs (130, 5, 3, 2, 4, then 0).");
        return spec;
    }

    /** @return the usage text of {@link #command()}, as picocli lays it out */
    public static String usage() {
        return new CommandLine(command()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** Adds the global options to a command (the plain command, or one analysis with its own options). */
    public static void addGlobals(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-f", "--file").paramLabel("EVIDENCE").type(List.class).auxiliaryTypes(
                Path.class).description("the memory image (raw, AFF4, crash dump, minidump, VMware, hiberfil.sys); "
                        + "opened read-only and hashed (MD5, SHA-1, SHA-256) while the analysis runs, once: the case "
                        + "cache keeps the digests; repeat it for the other volumes of a multi-file AFF4 set (volumes "
                        + "of the set in the first one's folder are found without it)").build());
        spec.addOption(OptionSpec.builder("--format").paramLabel("ID").type(String.class).description(
                "open the evidence with this format (raw, aff4, crashdump, minidump, vmware, hiberfil…) whatever the probes "
                        + "say; without it a file a format recognises but cannot open is an evidence error").build());
        spec.addOption(OptionSpec.builder("--pagefile").paramLabel("[N=]FILE").type(List.class).auxiliaryTypes(
                String.class).description("a paging file taken with the image (pagefile.sys, swapfile.sys), with "
                        + "its page-file number when you know it; repeatable").build());
        spec.addOption(OptionSpec.builder("--symbols").paramLabel("ISF").type(List.class).auxiliaryTypes(Path.class)
                .description("a kernel symbol table (Volatility 3 ISF file, folder or symbol pack) to try before "
                        + "the installed profiles; repeatable").build());
        spec.addOption(OptionSpec.builder("-r", "--renderer").paramLabel("FORMAT").type(String.class).description(
                "output format: text (the default), json, csv, bodyfile (mactime 3.x), or sqlite (every analysis of "
                        + "the command and the case in one database, written to -o FILE); every format renders the same "
                        + "typed result")
                .build());
        spec.addOption(OptionSpec.builder("-o", "--output-dir").paramLabel("OUTDIR").type(Path.class).description(
                "where analyses write files (dumps), the current folder by default; every written file is "
                        + "reported with its SHA-256. With -r sqlite, the new database file, beside which analyses "
                        + "write their files").build());
        spec.addOption(OptionSpec.builder("--save").arity("0").type(boolean.class).description(
                "write each analysis's result to its own file under -o, named after the plugin with the output "
                        + "format's extension (txt, jsonl, csv), instead of stdout; several analyses in json or csv "
                        + "need it").build());
        spec.addOption(OptionSpec.builder("--no-hash").arity("0").type(boolean.class).description(
                "do not hash the evidence when opening it (digests an earlier open recorded in the case cache are "
                        + "still reported)").build());
        spec.addOption(OptionSpec.builder("--case").paramLabel("DIR").type(Path.class).description(
                "keep the case cache (each evidence file's digests and what discovery found in it, recorded on its "
                        + "first open and reused, once checked, while the file is unchanged) in DIR, with the case "
                        + "notes, instead of the user's cache folder; never the evidence's own folder").build());
        spec.addOption(OptionSpec.builder("--no-cache").arity("0").type(boolean.class).description(
                "neither use nor update the case cache: hash every file again and discover the kernel again").build());
        spec.addOption(OptionSpec.builder("--no-compressed-store").arity("0").type(boolean.class).description(
                "do not read the memory-compression store: its pages are reported as compressed, with store "
                        + "reading disabled").build());
        spec.addOption(OptionSpec.builder("--disable-store").paramLabel("ID").type(List.class).auxiliaryTypes(
                String.class).description("switch off a backing store by its id or by a page state it resolves "
                        + "(pagefile, swapfile, compressed); repeatable").build());
        spec.addOption(OptionSpec.builder("--exclude-profile").paramLabel("ID").type(List.class).auxiliaryTypes(
                String.class).description("leave an installed profile out, a kernel's or a driver's (tcpip.pdb), by "
                        + "its id (as 'vestige profiles.list' lists them), to see how an image whose profile is not "
                        + "installed is analysed; repeatable").build());
        spec.addOption(OptionSpec.builder("-q", "--quiet").arity("0").type(boolean.class).description(
                "no progress on stderr").build());
        spec.addOption(OptionSpec.builder("-h", "--help").arity("0").type(boolean.class).usageHelp(true)
                .description("show this help, or with PLUGIN that analysis's help, and exit").build());
        spec.addOption(OptionSpec.builder("-V", "--version").arity("0").type(boolean.class).versionHelp(true)
                .description("print the version and exit").build());
    }

    /** @return the exit codes with their meaning, in the order {@code --help} lists them */
    public static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(ExitCode.OK), "success (the analysis may still have reported diagnostics)");
        codes.put(Integer.toString(ExitCode.USAGE), "usage error: unknown plugin or option, bad value, missing "
                + "evidence, unusable output folder");
        codes.put(Integer.toString(ExitCode.EVIDENCE), "evidence error: missing, unreadable, empty, not a regular "
                + "file, damaged or unrecognised (image, paging file or hive file)");
        codes.put(Integer.toString(ExitCode.ANALYSIS), "analysis failure, or nothing it was asked for could be read");
        codes.put(Integer.toString(ExitCode.INTEGRITY), "integrity failure: a hash the evidence stores does not "
                + "match (the result is printed)");
        codes.put(Integer.toString(ExitCode.CANCELLED), "cancelled (Ctrl-C)");
        return codes;
    }
}
