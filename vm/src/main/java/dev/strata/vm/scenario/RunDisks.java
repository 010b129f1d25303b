package dev.strata.vm.scenario;

import dev.strata.emulator.machine.DriveSlot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.storage.chain.ChainOpener;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The drives of a scenario's machine for the whole run, across power cycles. A throwaway run copies each floppy and
 * puts a VDI differencing image over each writable hard disk in the run's work folder: the guest writes there, the
 * sources are only read, a power cycle boots on what the guest wrote, and the files go when the run ends. A
 * persisting VM run opens the VM's own files in place. {@link #keep} and {@link #bringBack} copy a throwaway layer
 * aside and back, so a restored state finds its disks as they were when it was saved.
 */
final class RunDisks {

    /** What a drive slot holds. */
    enum Kind { FLOPPY, HARD_DISK, CDROM }

    /** A drive: its slot, the file the machine opens, and whether the guest may write it. */
    record Drive(Kind kind, DriveSlot slot, Path file, boolean guestReadOnly) {
    }

    private final List<Drive> drives;
    private final ParentResolver resolver;
    private final Path work;
    private final Map<String, Path> kept = new HashMap<>();

    private RunDisks(List<Drive> drives, ParentResolver resolver, Path work) {
        this.drives = new ArrayList<>(drives);
        this.resolver = resolver;
        this.work = work;
    }

    /** The drives opened as they are: a persisting VM run writes them. */
    static RunDisks inPlace(List<Drive> drives, ParentResolver resolver) {
        return new RunDisks(drives, resolver, null);
    }

    /**
     * A throwaway write layer over {@code sources} in {@code work}: floppy copies and a differencing image over each
     * writable hard disk (whose chain opens through {@code resolver}, or by looking in its folder when null).
     */
    static RunDisks throwaway(List<Drive> sources, ParentResolver resolver, Path work) throws IOException {
        ChainOpener chains = resolver == null ? FileChains.opener() : FileChains.opener(resolver);
        ParentResolver base = chains.resolver();
        Map<UUID, Path> parents = new HashMap<>();
        List<Drive> layered = new ArrayList<>();
        int n = 0;
        for (Drive d : sources) {
            String name = (n++) + "-" + d.slot().toString().replaceAll("[^A-Za-z0-9]", "") + "-";
            switch (d.kind()) {
                case FLOPPY -> layered.add(new Drive(d.kind(), d.slot(), Files.copy(d.file(),
                        work.resolve(name + d.file().getFileName()), StandardCopyOption.REPLACE_EXISTING),
                        d.guestReadOnly()));
                case HARD_DISK -> {
                    if (d.guestReadOnly()) {
                        layered.add(d);
                        continue;
                    }
                    Path diff = work.resolve(name + "layer.vdi");
                    try (DiskChain chain = chains.open(d.file(), true);
                         DiskImage top = DiskImages.createDiff(diff, chain.top(), ImageFormat.VDI)) {
                        top.flush();
                        parents.put(chain.top().uuid(), chain.top().path());
                    }
                    layered.add(new Drive(d.kind(), d.slot(), diff, false));
                }
                case CDROM -> layered.add(d);
            }
        }
        ParentResolver layer = new ParentResolver() {
            @Override
            public Path resolve(UUID parent, Path child) throws IOException {
                Path p = parents.get(parent);
                return p != null ? p : base.resolve(parent, child);
            }

            @Override
            public ImageFormat knownFormat(Path file) throws IOException {
                return file.startsWith(work) ? null : base.knownFormat(file);
            }
        };
        return new RunDisks(layered, layer, work);
    }

    /** Puts the drives into {@code settings}. */
    void applyTo(MachineSettings settings) {
        settings.parentResolver(resolver);
        for (Drive d : drives) {
            switch (d.kind()) {
                case FLOPPY -> settings.floppy(d.slot().index(), d.file());
                case HARD_DISK -> settings.hardDisk(d.slot(), d.file(), d.guestReadOnly());
                case CDROM -> settings.cdrom(d.slot(), d.file());
            }
        }
    }

    /** The hard disk in {@code slot} now opens {@code top} (an online snapshot switched it to a new diff). */
    void switchHardDisk(DriveSlot slot, Path top) {
        for (int i = 0; i < drives.size(); i++) {
            Drive d = drives.get(i);
            if (d.kind() == Kind.HARD_DISK && d.slot().equals(slot)) {
                drives.set(i, new Drive(d.kind(), slot, top, d.guestReadOnly()));
            }
        }
    }

    /** True when the run has a write layer of its own (so it can keep and bring back what its disks hold). */
    boolean throwaway() {
        return work != null;
    }

    /** Copies what the write layer holds now aside under {@code name}; the machine's images must be flushed. */
    void keep(String name) throws IOException {
        requireThrowaway(name);
        Path folder = kept.computeIfAbsent(name, k -> work.resolve("kept-" + kept.size()));
        Files.createDirectories(folder);
        for (Drive d : writable()) {
            Files.copy(d.file(), folder.resolve(d.file().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Puts the write layer back as {@link #keep} left it under {@code name}; the machine must be closed. */
    void bringBack(String name) throws IOException {
        requireThrowaway(name);
        Path folder = kept.get(name);
        if (folder == null) {
            throw new IOException("no state " + name + " was saved earlier in this run");
        }
        for (Drive d : writable()) {
            Files.copy(folder.resolve(d.file().getFileName()), d.file(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void requireThrowaway(String name) throws IOException {
        if (work == null) {
            throw new IOException("a run that persists writes the VM's own disks, so state " + name + " cannot"
                    + " bring them back: use snapshot and restore-snapshot");
        }
    }

    private List<Drive> writable() {
        return drives.stream().filter(d -> d.file().startsWith(work)).toList();
    }
}
