package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.ScanProgress;

/**
 * Finds {@code _FILE_OBJECT}s anywhere in physical memory (filescan): every pool block tagged 'File'
 * whose body — behind the _POOL_HEADER, the optional object headers and the _OBJECT_HEADER — is a file
 * object by its Type and Size, whether a handle or a mapping still refers to it or not. The file
 * object's virtual address is recovered from its empty, self-referencing IrpList (or its event's wait
 * list) and confirmed by translation; its names and section pointers are read through the kernel address
 * space.
 *
 * @since 0.1
 */
public final class FileScanner {

    private static final int FILE = 0x656C6946; // 'File'

    private final PoolScanner pool;
    private final X64Layer kernel;
    private final FileObjects files;
    private final int bodyOffset;

    /**
     * @param physical the physical address space
     * @param kernel   the kernel address space (to recover and confirm virtual addresses, and read names)
     * @param files    the file-object reader
     */
    public FileScanner(Layer physical, X64Layer kernel, FileObjects files) {
        this.pool = new PoolScanner(physical, FILE, "file objects");
        this.kernel = Objects.requireNonNull(kernel);
        this.files = Objects.requireNonNull(files);
        this.bodyOffset = files.objects().bodyOffset();
    }

    /**
     * Scans all of physical memory with {@code threads} workers, reporting the bytes scanned.
     *
     * @return the file objects in physical address order, and the blocks tagged 'File' that hold none or
     *         hold one with wild pointers
     * @throws CancellationException when {@code progress} is cancelled
     */
    public PoolScanner.Result<WinFile> scan(int threads, ScanProgress progress) {
        return pool.scan(0, pool.physical().size(), threads, progress, this::candidate);
    }

    private void candidate(long header, List<WinFile> found, List<String> warnings) {
        byte[] b = new byte[files.size()];
        ObjectBodies.Found f = ObjectBodies.find(pool.physical(), header, bodyOffset, b, x -> files.implausible(x, 0));
        if (f.problem() == null) {
            long va = files.virtualAddress(kernel, f.body(), b);
            found.add(files.decode(f.body(), header, va, b, warnings));
            return;
        }
        warnings.add("pool block at physical " + hex(header) + " tagged 'File' holds no plausible _FILE_OBJECT (at "
                + hex(header + 0x10 + bodyOffset) + ": " + f.problem() + ")");
    }
}
