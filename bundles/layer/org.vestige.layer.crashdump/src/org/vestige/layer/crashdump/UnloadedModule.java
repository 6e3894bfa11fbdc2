package org.vestige.layer.crashdump;

/**
 * A module the process had unloaded ({@code MINIDUMP_UNLOADED_MODULE}).
 *
 * @since 0.1
 */
public record UnloadedModule(String name, long baseOfImage, long sizeOfImage, int checkSum, int timeDateStamp) {
}
