package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.SynthTruth;

/** A process as the writers place it: what its kernel structures, address space and truth are made of. */
final class PlacedProcess {
    String name;
    long pid;
    long ppid;
    String commandLine;
    String imagePath;
    boolean user;
    /** a trustlet (IUM process): its private pages belong to VTL1 */
    boolean isolated;
    /** its _KPROCESS says secure process */
    boolean secure;
    /** the private pages a VTL0 acquisition read as zeros */
    List<Long> zeroPages = new ArrayList<>();
    List<String[]> dlls = new ArrayList<>();
    int threads;
    long createFileTime;
    long eprocess;
    /** _EPROCESS.Token: the _TOKEN's address with a reference count in the low bits, 0 for none */
    long tokenRef;
    PageTableBuilder space;
    long peb;
    String environment = "";
    long exitFileTime;
    long imageBase;
    String currentDirectory;
    long environmentPagefileOffset = -1;
    long heapBase;
    long stackBase;
    /** VADs to place: {start, end, protection, vadType, private, commit} and the file of an image */
    List<long[]> vadRanges = new ArrayList<>();
    List<String> vadFiles = new ArrayList<>();
    List<SynthTruth.Vad> vads = new ArrayList<>();
    long vadRoot;
    long vadLeaf;
    List<SynthTruth.Module> modules = new ArrayList<>();
    String imageSha256;
    List<SynthTruth.ImagePage> imagePages = new ArrayList<>();
    /** prototype PTE arrays of image VADs: VAD start to {array, pages} */
    Map<Long, long[]> prototypes = new LinkedHashMap<>();
    /** image VADs with a page only in the file: VAD start to the page's index */
    Map<Long, Integer> fileBacked = new LinkedHashMap<>();
    /** the true bytes of pages placed outside the process's valid PTEs, by virtual address */
    Map<Long, byte[]> outOfRam = new LinkedHashMap<>();
    /** the session the process runs in (its token's SessionId), or -1 before one is given */
    int session = -1;
    /** the file object and control area of the executable's image VAD, or 0 when it has none */
    long imageFile;
    long imageControlArea;
    /** the executable's pages by virtual address: the section each lies in */
    Map<Long, String> sections = new LinkedHashMap<>();
}
