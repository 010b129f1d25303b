package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a VM's drives at power-on from its attachments and the media types (DESIGN section 4): normal opens the
 * current diff (after snapshots) or the medium; writethrough and shareable the medium itself; immutable a
 * per-attachment diff reset at every power-on (unless autoreset is off, the VM resumes a saved state, or the
 * current snapshot is online); multiattach a persistent per-VM diff; readonly the medium, read-only.
 */
public final class VmDisks {

    private VmDisks() {
    }

    /**
     * Prepares every drive and takes its locks; on failure holds nothing. {@code fromSavedState} is true when
     * the machine will resume a saved state (immutable diffs then stay as they are).
     */
    public static PreparedDisks prepare(VirtualMachine vm, MediaRegistry registry, boolean fromSavedState)
            throws IOException {
        VmMedia media = new VmMedia(registry, vm);
        boolean onlineSnapshot = vm.currentSnapshot().map(s -> s.online).orElse(false);
        PreparedDisks disks = new PreparedDisks(media.chainFiles());
        boolean changed = false;
        try {
            for (Attachment a : vm.settings().attachments) {
                Medium m = media.medium(a);
                MediumType type = m.type();
                Path base = m.path();
                if (!a.driveType().takesSnapshotDiffs()) {
                    // floppies and CDs are single images: the floppy is written in place, the CD never
                    boolean cd = a.driveType() == DriveType.DVD;
                    disks.hold(ImageLock.acquire(base, cd ? LockMode.SHARED : LockMode.EXCLUSIVE));
                    disks.add(new PreparedDisks.Drive(a, base, cd));
                    continue;
                }
                switch (type) {
                    case NORMAL, WRITETHROUGH -> {
                        disks.hold(ImageLock.acquire(base, LockMode.EXCLUSIVE));
                        Path top = type == MediumType.NORMAL && a.current != null ? Path.of(a.current) : base;
                        if (!top.equals(base)) {
                            disks.hold(ImageLock.acquire(top, LockMode.EXCLUSIVE));
                        }
                        disks.add(new PreparedDisks.Drive(a, top, false));
                    }
                    case SHAREABLE -> {
                        disks.hold(ImageLock.acquire(base, LockMode.SHARED));
                        disks.add(new PreparedDisks.Drive(a, base, false));
                    }
                    case READONLY -> {
                        disks.hold(ImageLock.acquire(base, LockMode.SHARED));
                        disks.add(new PreparedDisks.Drive(a, base, true));
                    }
                    case IMMUTABLE, MULTIATTACH -> {
                        disks.hold(ImageLock.acquire(base, LockMode.SHARED));
                        boolean reset = type.resetsAtPowerOn(m.autoreset()) && !fromSavedState && !onlineSnapshot;
                        if (a.current == null || !Files.exists(Path.of(a.current))) {
                            a.current = media.newDiff(base).toString();
                            changed = true;
                        } else if (reset) {
                            Path old = Path.of(a.current);
                            Path parent = media.parentOf(old);
                            a.current = media.newDiff(parent).toString();
                            changed = true;
                            vm.save(); // the new diff is current before the old one goes
                            Files.deleteIfExists(old);
                        }
                        disks.hold(ImageLock.acquire(Path.of(a.current), LockMode.EXCLUSIVE));
                        disks.add(new PreparedDisks.Drive(a, Path.of(a.current), false));
                    }
                    default -> throw new IllegalStateException("unknown medium type " + type);
                }
            }
            if (changed) {
                vm.save();
            }
            return disks;
        } catch (StorageException e) {
            disks.close();
            if (e.getMessage() != null && (e.getMessage().contains("in use by another") || e.getMessage().contains(
                    "already open in this"))) {
                throw new StorageException(e.file(), "cannot start VM '" + vm.name() + "': the medium is used by"
                        + " another running VM (" + e.getMessage().replaceFirst("^.*?: ", "") + "). A normal,"
                        + " writethrough or floppy medium runs in one VM at a time; power the other VM off, or make the"
                        + " medium shareable (fixed-size), immutable or multiattach", e);
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            disks.close();
            throw e;
        }
    }

    /**
     * The drives of {@code vm} as its next power-on would open them, changing nothing: no diff is made or reset, and
     * every file is only locked shared (so no VM can start on them meanwhile). A drive is read-only only when its
     * medium is; the caller must not write the others, but put a layer of its own over them. An immutable
     * disk that a power-on would reset shows the state under its diff. For runs that put a throwaway write layer of
     * their own over the drives (guest test scenarios), so the VM stays as it was.
     */
    public static PreparedDisks preview(VirtualMachine vm, MediaRegistry registry) throws IOException {
        VmMedia media = new VmMedia(registry, vm);
        boolean onlineSnapshot = vm.currentSnapshot().map(s -> s.online).orElse(false);
        PreparedDisks disks = new PreparedDisks(media.chainFiles());
        try {
            for (Attachment a : vm.settings().attachments) {
                Medium m = media.medium(a);
                Path base = m.path();
                Path top = base;
                if (a.driveType().takesSnapshotDiffs()) {
                    MediumType type = m.type();
                    boolean hasDiff = a.current != null && Files.exists(Path.of(a.current));
                    if (type == MediumType.NORMAL && a.current != null) {
                        top = Path.of(a.current);
                    } else if ((type == MediumType.IMMUTABLE || type == MediumType.MULTIATTACH) && hasDiff) {
                        boolean reset = type.resetsAtPowerOn(m.autoreset()) && !onlineSnapshot;
                        top = reset ? media.parentOf(Path.of(a.current)) : Path.of(a.current);
                    }
                }
                disks.hold(ImageLock.acquire(base, LockMode.SHARED));
                if (!top.equals(base)) {
                    disks.hold(ImageLock.acquire(top, LockMode.SHARED));
                }
                boolean readOnly = a.driveType() == DriveType.DVD
                        || a.driveType().takesSnapshotDiffs() && m.type() == MediumType.READONLY;
                disks.add(new PreparedDisks.Drive(a, top, readOnly));
            }
            return disks;
        } catch (StorageException e) {
            disks.close();
            if (e.getMessage() != null && e.getMessage().contains("in use by another")) {
                throw new StorageException(e.file(), "cannot run VM '" + vm.name() + "' in a scenario: a medium is in"
                        + " use by another running VM (" + e.getMessage().replaceFirst("^.*?: ", "") + "); power"
                        + " that VM off first", e);
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            disks.close();
            throw e;
        }
    }

    /**
     * The hard disks that restoring {@code snap} brings back, each as the frozen image a restore puts a new diff
     * over, locked shared and changing nothing (a medium whose writes skip snapshots is left out: a restore keeps
     * it as it is). For runs that restore a snapshot onto a throwaway write layer of their own (guest test
     * scenarios), so the VM stays as it was.
     */
    public static PreparedDisks snapshotImages(VirtualMachine vm, MediaRegistry registry, SnapshotNode snap)
            throws IOException {
        VmMedia media = new VmMedia(registry, vm);
        PreparedDisks disks = new PreparedDisks(media.chainFiles());
        try {
            for (Attachment a : snap.attachments) {
                if (!a.driveType().takesSnapshotDiffs() || !media.medium(a).type().snapshotsDiff()) {
                    continue;
                }
                Path frozen = VmMedia.top(a);
                disks.hold(ImageLock.acquire(frozen, LockMode.SHARED));
                disks.add(new PreparedDisks.Drive(a, frozen, media.medium(a).type() == MediumType.READONLY));
            }
            return disks;
        } catch (IOException | RuntimeException e) {
            disks.close();
            throw e;
        }
    }
}
