package org.vestige.synth;

import java.util.List;

import org.vestige.synth.internal.Json;

/**
 * The threads the synthesizer placed on every process's thread lists, and every image mapped into each
 * process with the loader lists that hold it: what a thread walk and a comparison of image VADs with the
 * PEB's loader lists must find.
 *
 * @param threads every thread of every process on the active list, process by process in list order, each
 *                process's threads in thread-list order
 * @param images  every image VAD of every process with a PEB, by process and address
 * @since 0.1
 */
public record ThreadTruth(List<Thread> threads, List<Image> images) {

    public ThreadTruth {
        threads = List.copyOf(threads);
        images = List.copyOf(images);
    }

    /**
     * One thread.
     *
     * @param pid               Cid.UniqueProcess
     * @param tid               Cid.UniqueThread
     * @param ethread           the _ETHREAD's address
     * @param state             Tcb.State (a KTHREAD_STATE value)
     * @param startAddress      StartAddress
     * @param startIn           the module StartAddress lies in (its BaseDllName), or null when it lies in none
     * @param win32StartAddress Win32StartAddress
     * @param win32StartIn      the module Win32StartAddress lies in, or null when it lies in none
     * @param createFileTime    CreateTime (FILETIME)
     * @param planted           whether the thread starts in private memory (an injected thread); its VAD is
     *                          then {@code vadStart}–{@code vadEnd}, PAGE_EXECUTE_READWRITE
     * @param vadStart          the first byte of the private VAD it starts in, or 0
     * @param vadEnd            the last byte of that VAD, or 0
     * @since 0.1
     */
    public record Thread(long pid, long tid, long ethread, int state, long startAddress, String startIn,
            long win32StartAddress, String win32StartIn, long createFileTime, boolean planted, long vadStart,
            long vadEnd) {
    }

    /**
     * One image VAD and the PEB loader lists holding its base.
     *
     * @param pid      the process
     * @param base     the VAD's start (the image's base)
     * @param path     the mapped file's name as the VAD names it, or null when the image has no file types
     * @param inLoad   whether InLoadOrderModuleList holds it
     * @param inInit   whether InInitializationOrderModuleList holds it
     * @param inMem    whether InMemoryOrderModuleList holds it
     * @param unlinked whether it was removed from lists it belongs on (a hidden DLL)
     * @since 0.1
     */
    public record Image(long pid, long base, String path, boolean inLoad, boolean inInit, boolean inMem,
            boolean unlinked) {
    }

    /** @return the threads planted in private memory */
    public List<Thread> planted() {
        return threads.stream().filter(Thread::planted).toList();
    }

    /** Writes this truth as the value of the current JSON key. */
    public void toJson(Json j) {
        j.open('{').key("threads").open('[');
        for (Thread t : threads) {
            j.open('{').key("pid").value(t.pid()).key("tid").value(t.tid()).key("ethread").hex(t.ethread())
                    .key("state").value(t.state()).key("startAddress").hex(t.startAddress()).key("startIn")
                    .value(t.startIn()).key("win32StartAddress").hex(t.win32StartAddress()).key("win32StartIn")
                    .value(t.win32StartIn()).key("createTime").value(t.createFileTime()).key("planted")
                    .value(t.planted());
            if (t.planted()) {
                j.key("vadStart").hex(t.vadStart()).key("vadEnd").hex(t.vadEnd());
            }
            j.end('}');
        }
        j.end(']').key("images").open('[');
        for (Image i : images) {
            j.open('{').key("pid").value(i.pid()).key("base").hex(i.base()).key("path").value(i.path())
                    .key("inLoad").value(i.inLoad()).key("inInit").value(i.inInit()).key("inMem").value(i.inMem())
                    .key("unlinked").value(i.unlinked()).end('}');
        }
        j.end(']').end('}');
    }
}
