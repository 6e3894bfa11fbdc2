#!/usr/bin/env bash
# windows.malfind over every process of a synthetic Windows 10 19041 image with its paging file and a
# memory-compression store: the whole vestige process from launch to exit (the image in the page cache,
# --no-hash), paired run by run with windows.pslist on the same image, whose time is the start-up, kernel
# discovery and process list malfind also pays. The difference is malfind's own cost: every process's VAD
# tree walked, the first page of each executable private region read through the backing stores (one copy
# of the injected PE decompressed from the store), the source of every page of those regions asked for,
# and the first bytes disassembled by Capstone. Also prints how many regions malfind gave and from how
# many processes.
#   benchmarks/windows/malfind.sh [SIZE_MIB] [RUNS]     (default 4096 MiB, 5 runs)
source "$(dirname "$0")/setup.sh" malfind "$@"
"$vestige" -q -o "$work" synth --profile 19041 --seed 1 --size-mib "$size" --compressed-store intact > /dev/null
cat "$work/image.raw" "$work/pagefile.sys" > /dev/null
args=(-q --no-hash -f "$work/image.raw" --pagefile "$work/pagefile.sys")
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)"
processes=$("$vestige" "${args[@]}" windows.pslist -r csv | grep -c '^0,')
regions=$("$vestige" "${args[@]}" windows.malfind -r json | wc -l)
echo "windows.malfind: $regions regions over $processes processes"
farm-bench -n "$runs" --timeout 600 --vs "$vestige ${args[*]} windows.pslist" -- "$vestige" "${args[@]}" windows.malfind
