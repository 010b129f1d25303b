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
 * aside and back, so a restored state or in-run snapshot finds its disks as they were when it was taken.
 */
final class RunDisks {

    /** What a drive slot holds. */
    enum Kind { FLOPPY, HARD_DISK, CDROM }

    /** A drive: its slot, the file the machine opens, and whether the guest may write it. */
    record Drive(Kind kind, DriveSlot slot, Path file, boolean guestReadOnly) {
    }

    /** What {@link #keep} put aside: the drives then, and the folder holding copies of their layer files. */
    private record Kept(List<Drive> drives, Path folder) {
    }

    private List<Drive> drives;
    private final ParentResolver resolver;
    private final Path work;
    private final ChainOpener chains;
    /** The file under each layer the run made, by the parent's UUID (the layer's parent link names only that). */
    private final Map<UUID, Path> parents = new HashMap<>();
    private final Map<String, Kept> kept = new HashMap<>();
    private int files;

    private RunDisks(List<Drive> drives, ParentResolver resolver, Path work, ChainOpener chains) {
        this.drives = new ArrayList<>(drives);
        this.resolver = resolver;
        this.work = work;
        this.chains = chains;
    }

    /** The drives opened as they are: a persisting VM run writes them. */
    static RunDisks inPlace(List<Drive> drives, ParentResolver resolver) {
        return new RunDisks(drives, resolver, null, null);
    }

    /**
     * A throwaway write layer over {@code sources} in {@code work}: floppy copies and a differencing image over each
     * writable hard disk (whose chain opens through {@code resolver}, or by looking in its folder when null).
     */
    static RunDisks throwaway(List<Drive> sources, ParentResolver resolver, Path work) throws IOException {
        ChainOpener chains = resolver == null ? FileChains.opener() : FileChains.opener(resolver);
        ParentResolver base = chains.resolver();
        RunDisks[] self = new RunDisks[1];
        ParentResolver layer = new ParentResolver() {
            @Override
            public Path resolve(UUID parent, Path child) throws IOException {
                Path p = self[0].parents.get(parent);
                return p != null ? p : base.resolve(parent, child);
            }

            @Override
            public ImageFormat knownFormat(Path file) throws IOException {
                return file.startsWith(work) ? null : base.knownFormat(file);
            }
        };
        self[0] = new RunDisks(List.of(), layer, work, chains);
        for (Drive d : sources) {
            self[0].drives.add(self[0].layer(d));
        }
        return self[0];
    }

    /** The drive the machine opens for {@code source}: a copy, a layer over it, or the source when never written. */
    private Drive layer(Drive d) throws IOException {
        String name = (files++) + "-" + d.slot().toString().replaceAll("[^A-Za-z0-9]", "") + "-";
        switch (d.kind()) {
            case FLOPPY -> {
                return new Drive(d.kind(), d.slot(), Files.copy(d.file(), work.resolve(name + d.file().getFileName()),
                        StandardCopyOption.REPLACE_EXISTING), d.guestReadOnly());
            }
            case HARD_DISK -> {
                if (d.guestReadOnly()) {
                    return d;
                }
                Path diff = work.resolve(name + "layer.vdi");
                try (DiskChain chain = chains.open(d.file(), true);
                     DiskImage top = DiskImages.createDiff(diff, chain.top(), ImageFormat.VDI)) {
                    top.flush();
                    parents.put(chain.top().uuid(), chain.top().path());
                }
                return new Drive(d.kind(), d.slot(), diff, false);
            }
            default -> {
                return d;
            }
        }
    }

    /**
     * The hard disk in {@code slot} gets a fresh layer over {@code source} (a VM snapshot's frozen image restored
     * onto a throwaway run); the machine must be closed.
     */
    void relayerHardDisk(DriveSlot slot, Path source) throws IOException {
        requireThrowaway("the VM's snapshot");
        for (int i = 0; i < drives.size(); i++) {
            Drive d = drives.get(i);
            if (d.kind() == Kind.HARD_DISK && d.slot().equals(slot)) {
                drives.set(i, layer(new Drive(Kind.HARD_DISK, slot, source, d.guestReadOnly())));
            }
        }
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

    /**
     * Copies the files the guest may write, as they are now, into {@code folder}: the drives to start a run on that
     * finds the disks as this one found them (a persisting run's trace replays it over these). Images must be
     * flushed, or not opened yet.
     */
    List<Drive> copyWritable(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Drive> copies = new ArrayList<>();
        int n = 0;
        for (Drive d : drives) {
            if (d.kind() == Kind.CDROM || d.guestReadOnly()) {
                copies.add(d);
                continue;
            }
            Path copy = folder.resolve((n++) + "-" + d.file().getFileName());
            Files.copy(d.file(), copy, StandardCopyOption.REPLACE_EXISTING);
            copies.add(new Drive(d.kind(), d.slot(), copy, false));
        }
        return copies;
    }

    /** Copies what the write layer holds now aside under {@code name}; the machine's images must be flushed. */
    void keep(String name) throws IOException {
        requireThrowaway(name);
        Kept old = kept.remove(name);
        if (old != null) {
            deleteTree(old.folder());
        }
        Path folder = work.resolve("kept-" + (files++));
        Files.createDirectories(folder);
        for (Drive d : writable(drives)) {
            Files.copy(d.file(), folder.resolve(d.file().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        kept.put(name, new Kept(List.copyOf(drives), folder));
    }

    /** Puts the drives and write layer back as {@link #keep} left them under {@code name}; the machine must be closed. */
    void bringBack(String name) throws IOException {
        requireThrowaway(name);
        Kept k = kept.get(name);
        if (k == null) {
            throw new IOException("no " + name + " was kept earlier in this run");
        }
        for (Drive d : writable(k.drives())) {
            Files.copy(k.folder().resolve(d.file().getFileName()), d.file(), StandardCopyOption.REPLACE_EXISTING);
        }
        drives = new ArrayList<>(k.drives());
    }

    private void requireThrowaway(String name) throws IOException {
        if (work == null) {
            throw new IOException("a run that persists writes the VM's own disks, so " + name + " cannot bring them"
                    + " back: use snapshot and restore-snapshot");
        }
    }

    private List<Drive> writable(List<Drive> list) {
        return list.stream().filter(d -> d.file().startsWith(work)).toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
