package org.vestige.layer.crashdump;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a minidump's streams describe, decoded (the memory itself is read through
 * {@link Minidump#memory()}).
 *
 * @param header          the file header
 * @param streams         the stream directory, in file order
 * @param systemInfo      processor and OS
 * @param modules         loaded modules, in the dump's order
 * @param threads         threads, in the dump's order
 * @param memoryRanges    captured memory ranges, from the memory list and the 64-bit memory list
 * @param exception       the exception that caused the dump, if any
 * @param handles         open handles (handle data stream)
 * @param miscInfo        process id, times, build string…
 * @param unloadedModules modules unloaded before the dump
 * @param memoryInfo      the address-space regions (memory info list)
 * @param threadNames     thread names by thread id
 * @param comment         the comment stream's text, if any
 * @param problems        streams or fields that could not be decoded, each naming the file offset
 * @since 0.1
 */
public record MinidumpContents(MinidumpHeader header, List<MinidumpStream> streams, Optional<SystemInfo> systemInfo,
        List<MinidumpModule> modules, List<MinidumpThread> threads, List<MemoryRange> memoryRanges,
        Optional<MinidumpException> exception, List<HandleDescriptor> handles, Optional<MiscInfo> miscInfo,
        List<UnloadedModule> unloadedModules, List<MemoryInfo> memoryInfo, Map<Integer, String> threadNames,
        Optional<String> comment, List<String> problems) {

    public MinidumpContents {
        streams = List.copyOf(streams);
        modules = List.copyOf(modules);
        threads = List.copyOf(threads);
        memoryRanges = List.copyOf(memoryRanges);
        handles = List.copyOf(handles);
        unloadedModules = List.copyOf(unloadedModules);
        memoryInfo = List.copyOf(memoryInfo);
        threadNames = Map.copyOf(threadNames);
        problems = List.copyOf(problems);
    }
}
