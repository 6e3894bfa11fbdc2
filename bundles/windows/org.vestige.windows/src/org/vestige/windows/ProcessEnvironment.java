package org.vestige.windows;

import java.util.List;

/**
 * What a process's PEB and process parameters say about it. Each field is read independently, so
 * one paged-out page costs only the fields on it; a missing field carries the reason.
 *
 * @param peb              the PEB's virtual address
 * @param imageBase        PEB.ImageBaseAddress
 * @param commandLine      ProcessParameters.CommandLine
 * @param imagePath        ProcessParameters.ImagePathName
 * @param currentDirectory ProcessParameters.CurrentDirectory.DosPath
 * @param environment      the environment block's entries, in block order
 * @since 0.1
 */
public record ProcessEnvironment(long peb, Readout<Long> imageBase, Readout<String> commandLine,
        Readout<String> imagePath, Readout<String> currentDirectory, Readout<List<EnvironmentVariable>> environment) {
}
