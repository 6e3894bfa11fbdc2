package org.vestige.layer.aff4.internal;

import java.util.List;

/**
 * The AFF4 vocabulary: the AFF4 Standard v1.0 names (http://aff4.org/Schema#), the names WinPmem 2.x / Rekall
 * wrote in the same namespace before the standard, and Evimetry's pre-standard namespace
 * (http://afflib.org/2009/aff4#). Lists give the alternatives in the order they are tried.
 */
public final class Aff4Lexicon {

    private Aff4Lexicon() {
    }

    public static final String AFF4 = "http://aff4.org/Schema#";
    public static final String LEGACY = "http://afflib.org/2009/aff4#";
    public static final String MEMORY = AFF4 + "memory/";
    public static final String RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    public static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    // Object types.
    public static final List<String> IMAGE_STREAM_TYPES = List.of(AFF4 + "ImageStream", AFF4 + "image", LEGACY + "stream");
    public static final List<String> MAP_TYPES = List.of(AFF4 + "Map", AFF4 + "map", LEGACY + "map");
    public static final List<String> IMAGE_TYPES = List.of(AFF4 + "Image", LEGACY + "Image");
    public static final String MEMORY_IMAGE = AFF4 + "MemoryImage";
    public static final String DISK_IMAGE = AFF4 + "DiskImage";
    public static final List<String> VOLUME_TYPES = List.of(AFF4 + "ZipVolume", AFF4 + "zip_volume", LEGACY + "zip_volume");
    public static final String BLOCK_HASHES = AFF4 + "BlockHashes";
    /** A logical file (AFF4-L, the AFF4 Standard's logical imaging extension). */
    public static final List<String> FILE_IMAGE_TYPES = List.of(AFF4 + "FileImage");

    // Predicates.
    public static final List<String> STORED = List.of(AFF4 + "stored", LEGACY + "stored");
    public static final List<String> SIZE = List.of(AFF4 + "size", LEGACY + "size");
    public static final List<String> CHUNK_SIZE = List.of(AFF4 + "chunkSize", AFF4 + "chunk_size", LEGACY + "chunkSize",
            LEGACY + "chunk_size");
    public static final List<String> CHUNKS_IN_SEGMENT = List.of(AFF4 + "chunksInSegment", AFF4 + "chunks_per_segment",
            LEGACY + "chunksInSegment", LEGACY + "chunks_in_segment");
    public static final List<String> COMPRESSION = List.of(AFF4 + "compressionMethod", AFF4 + "compression",
            LEGACY + "CompressionMethod", LEGACY + "compressionMethod");
    public static final List<String> DATA_STREAM = List.of(AFF4 + "dataStream", LEGACY + "dataStream");
    public static final List<String> DEPENDENT_STREAM = List.of(AFF4 + "dependentStream");
    public static final List<String> MAP_GAP_DEFAULT = List.of(AFF4 + "mapGapDefaultStream");
    public static final List<String> CATEGORY = List.of(AFF4 + "category");
    public static final String HASH = AFF4 + "hash";
    public static final String LEGACY_HASH = LEGACY + "hash";
    public static final String TARGET = AFF4 + "target";
    public static final String CONTAINS = AFF4 + "contains";
    public static final String MEMORY_PHYSICAL = MEMORY + "physical";
    public static final String MEMORY_PAGEFILE = MEMORY + "pagefile";
    public static final String MEMORY_PAGEFILE_NUMBER = MEMORY + "pagefile_number";
    public static final String ORIGINAL_FILENAME = AFF4 + "original_filename";
    /** A logical file's path on the acquired system (AFF4-L), and WinPmem's name for a stored file. */
    public static final List<String> FILE_NAMES = List.of(AFF4 + "originalFileName", ORIGINAL_FILENAME);

    // Map and stream hashes.
    public static final String MAP_HASH = AFF4 + "mapHash";
    public static final String MAP_POINT_HASH = AFF4 + "mapPointHash";
    public static final String MAP_IDX_HASH = AFF4 + "mapIdxHash";
    public static final String MAP_PATH_HASH = AFF4 + "mapPathHash";
    public static final String BLOCK_MAP_HASH = AFF4 + "blockMapHash";
    public static final String BLOCK_HASHES_HASH = AFF4 + "blockHashesHash";
    public static final String IMAGE_STREAM_HASH = AFF4 + "imageStreamHash";
    public static final String IMAGE_STREAM_INDEX_HASH = AFF4 + "imageStreamIndexHash";
    public static final String LINEAR_BLOCK_HASH = AFF4 + "linearBlockHash";

    // Symbolic streams.
    public static final String ZERO = AFF4 + "Zero";
    public static final String FF_DEVICE = AFF4 + "FFDevice";
    public static final String UNKNOWN_DATA = AFF4 + "UnknownData";
    public static final String UNREADABLE_DATA = AFF4 + "UnreadableData";
    public static final String SYMBOLIC_PREFIX = AFF4 + "SymbolicStream";
    public static final String LEGACY_ZERO = LEGACY + "Zero";
    public static final String LEGACY_FF = LEGACY + "FF";
    public static final String LEGACY_UNKNOWN_DATA = LEGACY + "UnknownData";
    public static final String LEGACY_UNREADABLE_DATA = LEGACY + "UnreadableData";
    public static final String LEGACY_SYMBOLIC_PREFIX = "http://afflib.org/2012/SymbolicStream#";

    /** Shortens a name in the AFF4 namespaces to the {@code aff4:} form analysts know. */
    public static String shortName(String iri) {
        if (iri.startsWith(AFF4)) {
            return "aff4:" + iri.substring(AFF4.length());
        }
        if (iri.startsWith(LEGACY)) {
            return "afflib:" + iri.substring(LEGACY.length());
        }
        return iri;
    }
}
