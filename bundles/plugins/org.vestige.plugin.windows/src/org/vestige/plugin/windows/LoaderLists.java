package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.windows.ModuleList;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PebReader;
import org.vestige.windows.Readout;
import org.vestige.windows.VadList;
import org.vestige.windows.VadWalker;
import org.vestige.windows.WinModule;
import org.vestige.windows.WinVad;
import org.vestige.windows.WindowsKernel;

/**
 * Each image mapped into a process (its image VADs) against the three loader lists of its PEB — load order,
 * initialization order, memory order. A DLL the loader loaded is on all three (the executable is never on the
 * initialization-order list); one mapped as an image but missing from a list it belongs on was unlinked.
 * Broken lists and VAD trees become warnings naming the process.
 */
final class LoaderLists {

    /**
     * One image VAD of a process and the lists it is on.
     *
     * @param vad      the image VAD
     * @param lists    per list, whether the image's base is on it, or why the list could not be read
     * @param unlinked whether it is missing from a list it belongs on, or why that cannot be said
     */
    record Image(WinVad vad, Map<ModuleWalker.Order, Readout<Boolean>> lists, Readout<Boolean> unlinked) {
    }

    private final WindowsKernel kernel;
    private final VadWalker vads;

    LoaderLists(WindowsKernel kernel) throws AnalysisException {
        this.kernel = kernel;
        try {
            this.vads = new VadWalker(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe VADs: " + e.getMessage());
        }
    }

    /** Something done with each image VAD of each process. */
    interface Visitor {
        void visit(Selected.Process process, Image image);
    }

    /** Visits the image VADs of the processes the analysis was asked about ({@code --pid}, or all), in order. */
    void forEach(AnalysisContext context, AnalysisResult result, IProgressMonitor monitor, Visitor visitor) {
        List<Selected.Process> processes = Selected.processes(context, kernel);
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing image VADs with the loader lists",
                processes.size());
        for (Selected.Process s : processes) {
            progress.split(1);
            images(s, result).forEach(image -> visitor.visit(s, image));
        }
    }

    /** @return the image VADs of a process with a user address space (none for the others), in VAD order */
    List<Image> images(Selected.Process s, AnalysisResult result) {
        List<Image> out = new ArrayList<>();
        if (s.process().peb() == 0) {
            return out; // no user address space: nothing is loaded
        }
        String subject = s.process().toString();
        VadList list = vads.walk(s.process().eprocess());
        list.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
        PebReader peb = new PebReader(s.layer(), kernel.discovery().profile());
        Map<ModuleWalker.Order, Readout<Set<Long>>> bases = new EnumMap<>(ModuleWalker.Order.class);
        for (ModuleWalker.Order order : ModuleWalker.Order.values()) {
            bases.put(order, bases(peb, s.process().peb(), order, subject, result));
        }
        long exe = peb.imageBase(s.process().peb()).orElse(-1L);
        for (WinVad v : list.vads()) {
            if (v.image()) {
                out.add(image(v, bases, v.start() == exe));
            }
        }
        return out;
    }

    private static Image image(WinVad v, Map<ModuleWalker.Order, Readout<Set<Long>>> bases, boolean executable) {
        Map<ModuleWalker.Order, Readout<Boolean>> on = new EnumMap<>(ModuleWalker.Order.class);
        boolean missing = false;
        Readout<Set<Long>> unknown = null;
        for (Map.Entry<ModuleWalker.Order, Readout<Set<Long>>> e : bases.entrySet()) {
            Readout<Set<Long>> list = e.getValue();
            on.put(e.getKey(), list.map(l -> l.contains(v.start())));
            if (!list.isPresent()) {
                unknown = list;
                continue;
            }
            // the loader never puts the executable on the initialization-order list
            missing |= !list.get().contains(v.start()) && !(executable
                    && e.getKey() == ModuleWalker.Order.INITIALIZATION);
        }
        // missing from a readable list decides; otherwise an unreadable list leaves it unknown
        Readout<Boolean> unlinked = missing || unknown == null ? Readout.of(missing)
                : Readout.missing(unknown.cause(), unknown.reason());
        return new Image(v, on, unlinked);
    }

    /** @return the DllBase of every module on one loader list, or why the list cannot be read */
    private static Readout<Set<Long>> bases(PebReader peb, long pebVa, ModuleWalker.Order order, String subject,
            AnalysisResult result) {
        Readout<ModuleList> list;
        try {
            list = peb.modules(pebVa, order);
        } catch (NoSuchElementException e) {
            return Readout.missing(e.getMessage());
        }
        return list.map(l -> {
            l.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, w)));
            Set<Long> out = new HashSet<>();
            for (WinModule m : l.modules()) {
                out.add(m.base());
            }
            return out;
        });
    }
}
