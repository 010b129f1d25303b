package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps the media registry in step with the differencing images a VM makes in its Snapshots folder (snapshot
 * diffs, per-VM immutable and multiattach diffs), as VirtualBox registers them, so the media rules see them as
 * the children of the media they sit on.
 *
 * <p>The VM's settings are the record of which diffs exist; after every change to them the registry follows:
 * diffs the settings name are registered (with their parent as the file says), and registered images in the
 * Snapshots folder the settings no longer name are forgotten. Because it compares whole states, it also
 * registers the diffs of VMs made before Strata did this, and repairs the registry after a crash between a
 * settings change and the registry update.
 */
final class VmDiffRegistration {
    private VmDiffRegistration() {
    }

    /** Brings the registry of {@code home} in step with {@code vm}'s diffs; writes it only when it differs. */
    static void sync(VirtualMachine vm, Path home) throws IOException {
        Set<Path> named = namedDiffs(vm);
        Path folder = real(vm.snapshotsFolder());
        MediaRegistry current = MediaRegistry.load(home);
        if (inStep(current, named, folder)) {
            return;
        }
        current.update(r -> {
            for (Path p : named) {
                Medium file = identify(p);
                if (file == null) {
                    continue; // damaged or unreadable: left unregistered, as before, for `vm start` to report
                }
                Medium known = r.findByPath(p).orElse(null);
                try {
                    if (known == null) {
                        r.register(file);
                    } else if (known.uuid().equals(file.uuid()) && !Objects.equals(known.parentUuid(), file.parentUuid())) {
                        r.update(known.withParent(file.parentUuid())); // a merge re-pointed it
                    }
                } catch (StorageException e) {
                    // a UUID clash with another entry: `strata medium list` reports it; the VM goes on
                }
            }
            r.unregisterAll(stale(r, named, folder));
        });
    }

    /** Forgets every registered image inside the VM's folder (the VM is being deleted). */
    static void forgetAll(VirtualMachine vm, Path home) throws IOException {
        Path folder = real(vm.folder());
        MediaRegistry.load(home).update(r -> {
            Set<UUID> inside = new HashSet<>();
            for (Medium m : r.all()) {
                if (m.path().startsWith(folder)) {
                    inside.add(m.uuid());
                }
            }
            r.unregisterAll(inside);
        });
    }

    private static boolean inStep(MediaRegistry r, Set<Path> named, Path folder) throws IOException {
        for (Path p : named) {
            Medium known = r.findByPath(p).orElse(null);
            if (known == null) {
                if (identify(p) != null) {
                    return false;
                }
            } else if (known.isDiff()) {
                Medium file = identify(p);
                if (file != null && !Objects.equals(file.parentUuid(), known.parentUuid())) {
                    return false;
                }
            }
        }
        return stale(r, named, folder).isEmpty();
    }

    /**
     * Registered images in the Snapshots folder the settings no longer name (or whose file is gone), except those
     * with registered children outside that set (someone built on them by hand: they stay).
     */
    private static Set<UUID> stale(MediaRegistry r, Set<Path> named, Path folder) {
        Set<UUID> out = new HashSet<>();
        for (Medium m : r.all()) {
            if (m.path().startsWith(folder) && (!named.contains(m.path()) || !Files.exists(m.path()))) {
                out.add(m.uuid());
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Medium m : r.all()) {
                if (!out.contains(m.uuid()) && m.parentUuid() != null && out.remove(m.parentUuid())) {
                    changed = true;
                }
            }
        }
        return out;
    }

    /** The diffs in the VM's Snapshots folder its current attachments and snapshots name, as real paths. */
    private static Set<Path> namedDiffs(VirtualMachine vm) {
        Path folder = real(vm.snapshotsFolder());
        List<Attachment> all = new ArrayList<>(vm.settings().attachments);
        for (SnapshotNode n : vm.allSnapshots()) {
            all.addAll(n.attachments);
        }
        Set<Path> out = new LinkedHashSet<>();
        for (Attachment a : all) {
            if (a.current != null) {
                Path p = real(Path.of(a.current));
                if (p.startsWith(folder) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The registry entry an image file calls for, or null when it cannot be read. */
    private static Medium identify(Path file) {
        try (DiskImage img = DiskImages.open(file, true)) {
            return Medium.identify(file, img);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            return abs;
        }
    }
}
