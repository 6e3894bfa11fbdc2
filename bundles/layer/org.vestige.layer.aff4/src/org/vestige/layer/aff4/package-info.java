/**
 * AFF4 evidence: reading AFF4 Standard v1.0 and pre-standard volumes, writing memory images as AFF4, verifying the
 * hashes volumes store and exporting streams to raw files. Plain Java (no Eclipse API): RDF4J parses the Turtle
 * metadata, aircompressor decodes snappy and LZ4.
 *
 * <ul>
 * <li>{@link org.vestige.layer.aff4.Aff4Format} — the evidence format ({@code aff4}): probe and open, physical layer
 * plus the paging files stored beside memory.</li>
 * <li>{@link org.vestige.layer.aff4.Aff4Resolver} — one or more volume files of a set, their metadata and their
 * streams by URN.</li>
 * <li>{@link org.vestige.layer.aff4.Aff4Writer}, {@link org.vestige.layer.aff4.Aff4Verifier},
 * {@link org.vestige.layer.aff4.Aff4Exporter}.</li>
 * </ul>
 *
 * <p>How bytes that are not content read, and how they are reported:
 * <ul>
 * <li>regions a map does not cover read from the map's {@code aff4:mapGapDefaultStream} ({@code aff4:Zero} when the
 * map names none) and are {@code Missing(OutsideImage, "gap in AFF4 map (aff4:Zero)")};</li>
 * <li>map entries pointing at {@code aff4:UnknownData} or {@code aff4:UnreadableData} read as those streams' text
 * patterns, laid out in 1 MiB tiles of the target offset, and are {@code Missing(NotCaptured, …)} with the symbol
 * named; entries pointing at {@code aff4:Zero}, {@code aff4:FFDevice} or {@code aff4:SymbolicStreamXX} are content the imager
 * recorded compactly and are {@code Evidence("aff4:Zero", offset)} and so on;</li>
 * <li>chunks that cannot be read (corrupt data, a missing bevy or bevy index, an unsupported compression) read as
 * zeros and are {@code Missing} with the chunk, the stream and the cause named.</li>
 * </ul>
 *
 * @since 0.1
 */
package org.vestige.layer.aff4;
