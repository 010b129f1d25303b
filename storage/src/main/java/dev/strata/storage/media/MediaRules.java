package dev.strata.storage.media;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.util.List;

/**
 * What the host may do to a medium, in one place: which media may be written, closed, deleted, re-typed or
 * merged, given their children in the registry and the VMs that use them (VirtualBox's rules: a medium with
 * children or frozen by a snapshot is not written; an attached medium is not closed or deleted; a Saved or
 * running VM's disks are left as the VM expects them).
 */
public final class MediaRules {
    private final MediaRegistry registry;
    private final MediumUsers users;

    public MediaRules(MediaRegistry registry, MediumUsers users) {
        this.registry = registry;
        this.users = users;
    }

    /**
     * Refuses a write by the host ({@code strata medium write}) into {@code m}, whose chain's base has type
     * {@code effective}.
     */
    public void checkHostWrite(Medium m, MediumType effective) throws IOException {
        effective.checkWritable(m.path());
        if (!m.isDiff() && !m.type().guestWritesReachImage()) {
            throw new StorageException(m.path(), "is a " + m.type().cliName() + " medium: its content must not change "
                    + "(VMs write to their own diffs over it), so writes are refused; write to a differencing image over "
                    + "it (`strata medium create --filename NEW.vdi --diff " + m.path() + "`), or change its type with "
                    + "`strata medium modify " + m.path() + " --type normal` while no VM uses it");
        }
        List<MediumUse> uses = users.of(m);
        for (MediumUse u : uses) {
            if (u.frozen()) {
                throw new StorageException(m.path(), "is frozen by " + u.describe() + ": writing it would change what "
                        + "restoring the snapshot brings back; write to the VM's current disk, or delete the snapshot "
                        + "first (`strata snapshot " + u.vm() + " delete " + u.snapshot() + "`)");
            }
        }
        for (MediumUse u : uses) {
            refuseBusy(m, u, "written");
        }
        List<Medium> kids = registry.children(m.uuid());
        if (!kids.isEmpty()) {
            throw new StorageException(m.path(), "has differencing images over it (" + list(kids) + "); writing it "
                    + "would change what they show; write to a child instead");
        }
    }

    /** Refuses {@code strata medium close} (and with {@code delete}, deleting the file) of {@code m}. */
    public void checkClose(Medium m, boolean delete) throws IOException {
        List<MediumUse> uses = users.of(m);
        if (!uses.isEmpty()) {
            MediumUse u = uses.get(0);
            String what = delete ? "deleted" : "closed";
            throw new StorageException(m.path(), "is used by " + u.describe() + (uses.size() > 1 ? " and "
                    + (uses.size() - 1) + " more" : "") + ", so it cannot be " + what + " (the VM could no longer "
                    + "start); " + (u.snapshot() != null ? "delete the snapshot (`strata snapshot " + u.vm() + " delete "
                    + u.snapshot() + "`) or the VM (`strata vm delete " + u.vm() + "`) first"
                    : "detach it first (`strata vm attach " + u.vm() + " ... --medium none`) or delete the VM"));
        }
        List<Medium> kids = registry.children(m.uuid());
        if (!kids.isEmpty()) {
            throw new StorageException(m.path(), "has " + kids.size() + " registered differencing image(s) over it ("
                    + list(kids) + "); merge or close them first");
        }
    }

    /** Refuses a change of type or autoreset while a VM runs the medium or a Saved VM expects it unchanged. */
    public void checkModify(Medium m) throws IOException {
        for (MediumUse u : users.of(m)) {
            refuseBusy(m, u, "changed");
        }
    }

    /**
     * Refuses {@code strata medium resize} of {@code m} as VirtualBox does: while a VM runs it or is Saved with it,
     * while a snapshot freezes it, and while differencing images sit over it (they would no longer be its size).
     */
    public void checkResize(Medium m) throws IOException {
        for (MediumUse u : users.of(m)) {
            if (u.frozen()) {
                throw new StorageException(m.path(), "is frozen by " + u.describe() + ": restoring the snapshot must "
                        + "bring back this disk as it was, size included; delete the snapshot first (`strata snapshot "
                        + u.vm() + " delete " + u.snapshot() + "`)");
            }
            refuseBusy(m, u, "resized");
        }
        List<Medium> kids = registry.children(m.uuid());
        if (!kids.isEmpty()) {
            throw new StorageException(m.path(), "has " + kids.size() + " differencing image(s) over it (" + list(kids)
                    + "), which would no longer be its size; merge or close them first");
        }
    }

    /**
     * Refuses {@code strata medium compact} of {@code m} while a VM runs it or is Saved with it (the file moves), and
     * of a fixed disk, whose space stays allocated on purpose (a preallocated qcow2 would compact to a growing one).
     */
    public void checkCompact(Medium m) throws IOException {
        if (m.variant().fixed()) {
            throw new StorageException(m.path(), "is a fixed-size " + m.format() + " disk, whose space stays "
                    + "allocated on purpose; make a growing copy to compact (strata medium clone " + m.path().getFileName()
                    + " NEW --format " + m.format() + " --variant Standard)");
        }
        for (MediumUse u : users.of(m)) {
            refuseBusy(m, u, "compacted");
        }
    }

    /**
     * Refuses {@code strata medium merge} of {@code child} into {@code parent}: VMs' diffs are merged by their
     * snapshot commands, which keep the VM's settings in step; a parent a VM needs as it is stays as it is.
     */
    public void checkMerge(Medium child, Medium parent) throws IOException {
        List<MediumUse> uses = users.of(child);
        if (!uses.isEmpty()) {
            MediumUse u = uses.get(0);
            throw new StorageException(child.path(), "is a disk of " + u.describe() + "; merge it with `strata snapshot "
                    + u.vm() + " delete SNAPSHOT`, which keeps the VM's settings in step");
        }
        for (MediumUse u : users.of(parent)) {
            if (u.frozen()) {
                throw new StorageException(parent.path(), "is frozen by " + u.describe() + "; merging into it would "
                        + "change what restoring the snapshot brings back");
            }
            refuseBusy(parent, u, "merged into");
        }
    }

    private static void refuseBusy(Medium m, MediumUse u, String what) throws StorageException {
        switch (u.condition()) {
            case RUNNING -> throw new StorageException(m.path(), "is in use by running VM '" + u.vm() + "' (" + u.slot()
                    + "), so it cannot be " + what + " now; power the VM off first (`strata vm control " + u.vm()
                    + " poweroff`)");
            case SAVED -> throw new StorageException(m.path(), "is a disk of VM '" + u.vm() + "', which is Saved: its "
                    + "saved state expects the disk exactly as it is, so it cannot be " + what + "; start the VM and "
                    + "power it off first, or throw the saved state away with `strata vm start " + u.vm()
                    + " --discard-state`");
            default -> {
                // a stopped VM's disks may be changed by the host, as VirtualBox allows
            }
        }
    }

    private static String list(List<Medium> media) {
        return media.get(0).path() + (media.size() > 1 ? ", ..." : "");
    }
}
