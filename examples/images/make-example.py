#!/usr/bin/env python3
"""Writes the small example memory image used by scripts/run-example.sh (deterministic, 16 MiB).

Regions of different character, so evidence.info and the entropy map have something to show:
empty pages, text, code-like bytes, and high-entropy blocks like compressed or encrypted memory.
"""
import random
import sys

MIB = 1 << 20
rng = random.Random(20261125)
out = bytearray()
out += bytes(4 * MIB)                                   # never-used memory: zeros
text = b"Vestige example image: the quick brown fox jumps over the lazy dog. " * 16
while len(out) < 8 * MIB:                               # text-like pages
    out += text[: min(len(text), 8 * MIB - len(out))]
code = bytes(rng.choice((0x48, 0x89, 0x8B, 0xC3, 0xE8, 0x0F, 0x85, 0x00, 0xFF)) for _ in range(4096))
while len(out) < 12 * MIB:                              # low-variety "code"
    out += code
out += rng.randbytes(4 * MIB)                           # compressed/encrypted-looking data
with open(sys.argv[1] if len(sys.argv) > 1 else "example.raw", "wb") as f:
    f.write(out)
