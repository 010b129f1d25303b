package dev.strata.emulator.vm;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.chain.MediumMerger;
import dev.strata.storage.chain.MergeCost;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Takes, restores and deletes a VM's snapshots. Take freezes every attached hard disk whose type snapshots
 * (normal, immutable, multiattach) and puts a new diff over it; restore throws the current diffs away and
 * starts new ones over the snapshot's frozen images; delete merges the snapshot's frozen image with its only
 * child image, in the cheaper direction where both are allowed, recording the merges in the settings first so
 * an interrupted delete is finished by the next command.
 */
public final class Snapshots {
    static final String DELETE = "delete-snapshot";

    private final VirtualMachines vms;

    /** What users see when they ask for an online snapshot outside the running VM's process. */
    public static final String LIVE_UNSUPPORTED = "an online snapshot (--live) is taken by the running VM itself;"
            + " start the VM, then run `strata snapshot VM take SNAP --live` while it runs";
    /** The saved-state file a restored online snapshot gives the VM (the name `vm start` resumes from). */
    static final String SAVED_STATE = "saved.state";

    public Snapshots(VirtualMachines vms) {
        this.vms = vms;
    }

    /**
     * Takes an offline snapshot; online ones go through {@link #takeOnline} inside the running VM's process (this
     * refuses them, as only that process can switch the machine's disks).
     */
    public SnapshotNode take(VirtualMachine vm, String name, String description, boolean live) throws IOException {
        try (VmRunLock lock = busy(vm, live)) {
            return takeLocked(vm, name, description, live);
        }
    }

    private SnapshotNode takeLocked(VirtualMachine vm, String name, String description, boolean live)
            throws IOException {
        if (live) {
            throw new StorageException(vm.settingsFile(), LIVE_UNSUPPORTED);
        }
        vm.requireStopped("take an offline snapshot");
        requireNoPending(vm);
        VmMedia media = new VmMedia(vms.media(), vm);
        VmSettings s = vm.settings();
        SnapshotNode node = newNode(s, name, description);
        List<Path> toFreeze = new ArrayList<>();
        for (Attachment a : s.attachments) {
            if (a.driveType().takesSnapshotDiffs() && media.medium(a).type().snapshotsDiff()) {
                toFreeze.add(VmMedia.top(a));
            }
        }
        // the images about to be frozen must not be written meanwhile (a `medium write` already running, say): held
        // exclusively until the VM points past them, refused before anything is made
        try (ImageLocks frozen = new ImageLocks(lockAll(toFreeze))) {
            return freeze(vm, node, media);
        }
    }

    /** Puts a diff over each hard disk of {@code vm} whose medium type snapshots freeze, and records {@code node}. */
    private SnapshotNode freeze(VirtualMachine vm, SnapshotNode node, VmMedia media) throws IOException {
        VmSettings s = vm.settings();
        List<Path> made = new ArrayList<>();
        List<String> nextCurrent = new ArrayList<>();
        try {
            if (s.state == VmState.SAVED && s.savedState != null && Files.isRegularFile(Path.of(s.savedState))) {
                // a Saved VM's snapshot keeps its state (as VirtualBox does): restoring it resumes the guest
                Files.createDirectories(vm.snapshotsFolder());
                Path state = vm.snapshotsFolder().resolve("{" + node.uuid + "}.state");
                Files.copy(Path.of(s.savedState), state);
                made.add(state);
                node.online = true;
                node.savedState = state.toString();
            }
            for (Attachment a : s.attachments) {
                node.attachments.add(a.copy());
                if (a.driveType().takesSnapshotDiffs() && media.medium(a).type().snapshotsDiff()) {
                    Path diff = media.newDiff(VmMedia.top(a));
                    made.add(diff);
                    KillPoints.reach("snapshot-diff-created");
                    nextCurrent.add(diff.toString());
                } else {
                    nextCurrent.add(a.current);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Path p : made) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
        for (int i = 0; i < s.attachments.size(); i++) {
            s.attachments.get(i).current = nextCurrent.get(i);
        }
        vm.currentSnapshot().ifPresentOrElse(p -> p.children.add(node), () -> s.snapshots.add(node));
        s.currentSnapshot = node.uuid;
        vm.save();
        return node;
    }

    /**
     * Takes an online snapshot of the running VM, inside its process, on the machine's CPU thread between batches
     * (the caller holds the VM's run lock): flushes the disks, saves the machine's state into the snapshots
     * folder, puts new diffs over the current tops and switches the machine's hard disks to them, then records the
     * node (online, with its state file). On failure the machine keeps its old disks and nothing is recorded.
     */
    public SnapshotNode takeOnline(VirtualMachine vm, String name, String description, LiveMachine machine)
            throws IOException {
        if (!vm.settings().state.live()) {
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' is " + vm.settings().state.label()
                    + "; an online snapshot needs it running (take an offline snapshot without --live)");
        }
        requireNoPending(vm);
        VmMedia media = new VmMedia(vms.media(), vm);
        VmSettings s = vm.settings();
        SnapshotNode node = newNode(s, name, description);
        node.online = true;
        Files.createDirectories(vm.snapshotsFolder());
        Path state = vm.snapshotsFolder().resolve("{" + node.uuid + "}.state");
        machine.flushDisks();
        List<Path> made = new ArrayList<>();
        List<String> nextCurrent = new ArrayList<>();
        List<Integer> switched = new ArrayList<>();
        try {
            machine.saveState(state);
            for (Attachment a : s.attachments) {
                node.attachments.add(a.copy());
                if (a.driveType().takesSnapshotDiffs() && media.medium(a).type().snapshotsDiff()) {
                    Path diff = media.newDiff(VmMedia.top(a));
                    made.add(diff);
                    nextCurrent.add(diff.toString());
                } else {
                    nextCurrent.add(a.current);
                }
            }
            for (int i = 0; i < s.attachments.size(); i++) {
                Attachment a = s.attachments.get(i);
                String next = nextCurrent.get(i);
                if (a.driveType().takesSnapshotDiffs() && next != null && !next.equals(a.current)) {
                    machine.switchHardDisk(a.machineSlot(), Path.of(next));
                    switched.add(i);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (int i : switched) {
                Attachment a = s.attachments.get(i);
                try {
                    machine.switchHardDisk(a.machineSlot(), VmMedia.top(a));
                } catch (IOException | RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            for (Path p : made) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(state);
            throw e;
        }
        node.savedState = state.toString();
        for (int i = 0; i < s.attachments.size(); i++) {
            s.attachments.get(i).current = nextCurrent.get(i);
        }
        vm.currentSnapshot().ifPresentOrElse(p -> p.children.add(node), () -> s.snapshots.add(node));
        s.currentSnapshot = node.uuid;
        vm.save();
        return node;
    }

    private static SnapshotNode newNode(VmSettings s, String name, String description) {
        SnapshotNode node = new SnapshotNode();
        node.uuid = UUID.randomUUID();
        node.name = name;
        node.description = description;
        node.taken = Instant.now().toString();
        node.memoryMb = s.memoryMb;
        node.bootOrder = s.bootOrder;
        return node;
    }

    /**
     * Makes {@code snap}'s state current: its settings come back and the current diffs are discarded. An online
     * snapshot leaves the VM Saved with a copy of the snapshot's state, so the next start resumes it.
     */
    public void restore(VirtualMachine vm, SnapshotNode snap) throws IOException {
        try (VmRunLock lock = busy(vm, false)) {
            restoreLocked(vm, reread(vm, snap));
        }
    }

    private void restoreLocked(VirtualMachine vm, SnapshotNode snap) throws IOException {
        vm.requireStopped("restore a snapshot");
        requireNoPending(vm);
        if (snap.online && !SavedStates.available()) {
            throw new StorageException(vm.settingsFile(), "snapshot '" + snap.name + "' is online: "
                    + SavedStates.UNAVAILABLE);
        }
        VmMedia media = new VmMedia(vms.media(), vm);
        VmSettings s = vm.settings();
        List<Path> discard = new ArrayList<>();
        for (Attachment a : s.attachments) {
            if (a.current != null) {
                discard.add(Path.of(a.current));
            }
        }
        // the images about to be thrown away must not be in use (a `medium write` writing into one would go on
        // writing into a deleted file): refused before anything changes
        try (ImageLocks discarding = new ImageLocks(lockAll(discard))) {
            restoreAttachments(vm, snap, media, discard);
        }
    }

    private void restoreAttachments(VirtualMachine vm, SnapshotNode snap, VmMedia media, List<Path> discard)
            throws IOException {
        VmSettings s = vm.settings();
        List<Attachment> restored = new ArrayList<>();
        for (Attachment a : snap.attachments) {
            Attachment r = a.copy();
            if (r.driveType().takesSnapshotDiffs() && media.medium(r).type().snapshotsDiff()) {
                r.current = media.newDiff(VmMedia.top(a)).toString();
            } else {
                r.current = null;
            }
            restored.add(r);
        }
        s.attachments = restored;
        s.memoryMb = snap.memoryMb;
        s.bootOrder = snap.bootOrder;
        s.currentSnapshot = snap.uuid;
        if (snap.online) {
            Path copy = vm.folder().resolve(SAVED_STATE);
            Path tmp = vm.folder().resolve(SAVED_STATE + ".tmp");
            Files.copy(Path.of(snap.savedState), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            s.state = VmState.SAVED;
            s.savedState = copy.toString();
        } else if (s.state == VmState.SAVED || s.state == VmState.ABORTED) {
            s.state = VmState.POWERED_OFF;
            s.savedState = null;
        }
        vm.save();
        Set<Path> frozen = frozenImages(vm);
        for (Path p : discard) {
            if (!frozen.contains(p) && p.startsWith(vm.snapshotsFolder())) {
                Files.deleteIfExists(p);
                KillPoints.reach("snapshot-diff-discarded");
            }
        }
    }

    /** Deletes {@code snap}, merging its frozen images with their only child images. */
    public void delete(VirtualMachine vm, SnapshotNode snap, Progress progress) throws IOException {
        try (VmRunLock lock = busy(vm, false)) {
            deleteLocked(vm, reread(vm, snap), progress);
        }
    }

    /** Exclusive locks on those of {@code files} that exist, all or none. */
    private static List<ImageLock> lockAll(List<Path> files) throws StorageException {
        List<ImageLock> locks = new ArrayList<>();
        try {
            for (Path f : files) {
                if (Files.exists(f)) {
                    locks.add(ImageLock.acquire(f, LockMode.EXCLUSIVE));
                }
            }
            return locks;
        } catch (StorageException | RuntimeException e) {
            locks.forEach(ImageLock::close);
            throw e;
        }
    }

    /** Several image locks released together. */
    private record ImageLocks(List<ImageLock> locks) implements AutoCloseable {
        @Override
        public void close() {
            locks.forEach(ImageLock::close);
        }
    }

    /**
     * Holds the VM's lock for a snapshot change, so a start or another command cannot use the disks meanwhile;
     * a live snapshot runs inside the process that holds it already (null then).
     */
    private static VmRunLock busy(VirtualMachine vm, boolean live) throws IOException {
        if (live) {
            return null;
        }
        vm.requireStopped("change its snapshots");
        VmRunLock lock = vm.lock();
        try {
            vm.requireStopped("change its snapshots"); // started by another process while this one waited
            return lock;
        } catch (StorageException e) {
            lock.close();
            throw e;
        }
    }

    /** {@code snap} as the settings read under the VM's lock hold it; refused when another process deleted it. */
    private static SnapshotNode reread(VirtualMachine vm, SnapshotNode snap) throws StorageException {
        return vm.snapshot(snap.uuid).orElseThrow(() -> new StorageException(vm.settingsFile(), "snapshot '"
                + snap.name + "' of VM '" + vm.name() + "' was deleted by another Strata process meanwhile; see `strata"
                + " snapshot " + vm.name() + " list`"));
    }

    private void deleteLocked(VirtualMachine vm, SnapshotNode snap, Progress progress) throws IOException {
        vm.requireStopped("delete a snapshot");
        requireNoPending(vm);
        if (snap.children.size() > 1) {
            throw new StorageException(vm.settingsFile(), "snapshot '" + snap.name + "' has " + snap.children.size()
                    + " child snapshots; delete all but one of them first");
        }
        VmMedia media = new VmMedia(vms.media(), vm);
        PendingOperation op = new PendingOperation();
        op.kind = DELETE;
        op.snapshot = snap.uuid;
        op.snapshotName = snap.name;
        List<Path> others = referencedImages(vm, snap);
        for (Attachment a : snap.attachments) {
            if (!a.driveType().takesSnapshotDiffs() || !media.medium(a).type().snapshotsDiff()) {
                continue;
            }
            Path frozen = VmMedia.top(a);
            UUID frozenUuid = VmMedia.ids(frozen)[0];
            List<Path> children = new ArrayList<>();
            for (Path p : others) {
                if (!p.equals(frozen) && Files.exists(p) && Objects.equals(VmMedia.ids(p)[1], frozenUuid)) {
                    children.add(p);
                }
            }
            if (children.size() > 1) {
                throw new StorageException(frozen, "has " + children.size() + " child images (" + children
                        + "); Strata cannot merge it with all of them");
            }
            PendingOperation.MergeStep step = new PendingOperation.MergeStep();
            step.parent = frozen.toString();
            if (a.current == null && media.medium(a).type() != dev.strata.storage.media.MediumType.NORMAL) {
                continue; // an immutable or multiattach medium is shared: nothing is ever merged into it
            }
            if (children.isEmpty()) {
                if (a.current == null) {
                    continue; // the medium itself, used by nothing else of this VM: it stays
                }
                step.direction = "drop";
            } else {
                step.child = children.get(0).toString();
                boolean base = a.current == null;
                MediumMerger merger = new MediumMerger(media.chains());
                MergeCost cost = base ? null : merger.cost(frozen, children.get(0));
                step.direction = cost != null && cost.backwardIsCheaper() ? "backward" : "forward";
            }
            op.merges.add(step);
        }
        // refused before anything is recorded while an image to merge or drop is in use (a `medium write`, say);
        // each step locks its images again while it runs
        List<Path> touched = new ArrayList<>();
        for (PendingOperation.MergeStep step : op.merges) {
            touched.add(Path.of(step.parent));
            if (step.child != null) {
                touched.add(Path.of(step.child));
            }
        }
        lockAll(touched).forEach(ImageLock::close);
        vm.settings().pending = op;
        vm.save();
        finishPending(vm, progress);
    }

    /**
     * Finishes an interrupted operation recorded in the settings (every step is safe to run again); the caller
     * holds the VM's {@link VmRunLock}.
     */
    public void finishPending(VirtualMachine vm, Progress progress) throws IOException {
        PendingOperation op = vm.settings().pending;
        if (op == null) {
            return;
        }
        if (!DELETE.equals(op.kind)) {
            throw new StorageException(vm.settingsFile(), "records an unknown pending operation '" + op.kind
                    + "'; remove field \"pending\" by hand");
        }
        VmMedia media = new VmMedia(vms.media(), vm);
        MediumMerger merger = new MediumMerger(media.chains());
        while (!op.merges.isEmpty()) {
            PendingOperation.MergeStep step = op.merges.get(0);
            Path parent = Path.of(step.parent);
            List<Path> touched = step.direction.equals("drop") ? List.of(parent)
                    : List.of(parent, Path.of(step.child));
            // images being merged or dropped must not be in use by another command meanwhile: refused before the
            // step is recorded as started
            try (ImageLocks held = new ImageLocks(lockAll(touched))) {
                if (!step.started) {
                    step.started = true;
                    vm.save();
                }
                switch (step.direction) {
                    case "drop" -> Files.deleteIfExists(parent);
                    case "forward" -> forward(vm, media, merger, parent, Path.of(step.child), progress);
                    case "backward" -> backward(vm, merger, parent, Path.of(step.child), progress);
                    default -> throw new StorageException(vm.settingsFile(), "pending merge direction '"
                            + step.direction + "' is unknown; remove field \"pending\" by hand");
                }
            }
            op.merges.remove(0);
            op.completed++;
            vm.save();
        }
        String stateFile = vm.snapshot(op.snapshot).map(snap -> snap.savedState).orElse(null);
        if (stateFile != null && Files.exists(Path.of(stateFile))) {
            // An online snapshot's state goes while the record still names it: a crash before the record is cleared
            // then leaves a delete the next command finishes, where deleting it after left a file nothing named (the
            // kill campaign found one). Counted as a step done, since it cannot be undone: no rollback past it.
            op.completed++;
            vm.save();
            Files.deleteIfExists(Path.of(stateFile));
        }
        vm.snapshot(op.snapshot).ifPresent(snap -> unlink(vm, snap));
        vm.settings().pending = null;
        vm.save();
    }

    /**
     * Undoes an interrupted delete instead of finishing it, keeping the snapshot, when no file it needs was changed:
     * nothing merged yet, or only a backward merge begun (that copies into the child, which reads the same, and
     * leaves the frozen image as it was). A forward merge already changed the frozen image: that one can only be
     * finished.
     */
    public void rollbackPending(VirtualMachine vm) throws IOException {
        try (VmRunLock lock = busy(vm, false)) {
            PendingOperation op = vm.settings().pending;
            if (op == null) {
                throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' has no interrupted snapshot"
                        + " delete to roll back");
            }
            if (op.completed > 0) {
                // a merge (or an online snapshot's state file) is done, even when no step is left to look at
                throw new StorageException(vm.settingsFile(), "the interrupted delete of snapshot '"
                        + op.snapshotName + "' has done " + op.completed + " of its steps, so it cannot be rolled"
                        + " back; finish it with any strata vm or snapshot command");
            }
            for (PendingOperation.MergeStep step : op.merges) {
                boolean untouched = !step.started
                        || (!step.direction.equals("forward") && Files.exists(Path.of(step.parent)));
                if (!untouched) {
                    throw new StorageException(vm.settingsFile(), "the interrupted delete of snapshot '"
                            + op.snapshotName + "' already merged data into " + step.parent + ", so it cannot be"
                            + " rolled back; finish it with any strata vm or snapshot command");
                }
            }
            vm.settings().pending = null;
            vm.save();
        }
    }

    private void forward(VirtualMachine vm, VmMedia media, MediumMerger merger, Path parent, Path child,
                         Progress progress) throws IOException {
        if (Files.exists(child)) {
            UUID childUuid = VmMedia.ids(child)[0];
            UUID parentUuid = VmMedia.ids(parent)[0];
            merger.mergeIntoParent(child, progress);
            for (Path p : allImages(vm)) {
                if (!p.equals(child) && Files.exists(p) && Objects.equals(VmMedia.ids(p)[1], childUuid)) {
                    merger.reparent(p, childUuid, parentUuid);
                }
            }
        }
        String survivor = isMedium(vm, parent) ? null : parent.toString();
        replaceReferences(vm, child.toString(), survivor);
        vm.save();
        Files.deleteIfExists(child);
    }

    private void backward(VirtualMachine vm, MediumMerger merger, Path parent, Path child, Progress progress)
            throws IOException {
        if (Files.exists(parent)) {
            merger.mergeParentIntoChild(parent, child, progress);
        }
        replaceReferences(vm, parent.toString(), child.toString());
        vm.save();
        Files.deleteIfExists(parent);
    }

    private static boolean isMedium(VirtualMachine vm, Path p) {
        for (Attachment a : allAttachments(vm)) {
            if (p.toString().equals(a.mediumPath)) {
                return true;
            }
        }
        return false;
    }

    private static void replaceReferences(VirtualMachine vm, String from, String to) {
        for (Attachment a : allAttachments(vm)) {
            if (from.equals(a.current)) {
                a.current = to;
            }
        }
    }

    /** Takes {@code snap} out of the tree; its children move to its parent, and current moves up to its parent. */
    private static void unlink(VirtualMachine vm, SnapshotNode snap) {
        SnapshotNode parent = vm.parentOf(snap);
        List<SnapshotNode> siblings = parent == null ? vm.settings().snapshots : parent.children;
        int at = siblings.indexOf(snap);
        siblings.remove(at);
        siblings.addAll(at, snap.children);
        if (snap.uuid.equals(vm.settings().currentSnapshot)) {
            vm.settings().currentSnapshot = parent == null ? null : parent.uuid;
        }
    }

    private static List<Attachment> allAttachments(VirtualMachine vm) {
        List<Attachment> out = new ArrayList<>(vm.settings().attachments);
        for (SnapshotNode n : vm.allSnapshots()) {
            out.addAll(n.attachments);
        }
        return out;
    }

    /** Every image file this VM's attachments and snapshots name (media and diffs). */
    private static List<Path> allImages(VirtualMachine vm) {
        Set<Path> out = new LinkedHashSet<>();
        for (Attachment a : allAttachments(vm)) {
            if (a.driveType().takesSnapshotDiffs()) {
                out.add(VmMedia.top(a));
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Path> referencedImages(VirtualMachine vm, SnapshotNode except) {
        Set<Path> out = new LinkedHashSet<>();
        for (Attachment a : vm.settings().attachments) {
            if (a.driveType().takesSnapshotDiffs()) {
                out.add(VmMedia.top(a));
            }
        }
        for (SnapshotNode n : vm.allSnapshots()) {
            if (n != except) {
                for (Attachment a : n.attachments) {
                    if (a.driveType().takesSnapshotDiffs()) {
                        out.add(VmMedia.top(a));
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The images snapshots froze: never deleted when the current state is discarded. */
    private static Set<Path> frozenImages(VirtualMachine vm) {
        Set<Path> out = new LinkedHashSet<>();
        for (SnapshotNode n : vm.allSnapshots()) {
            for (Attachment a : n.attachments) {
                if (a.current != null) {
                    out.add(Path.of(a.current));
                }
            }
        }
        return out;
    }

    private static void requireNoPending(VirtualMachine vm) throws StorageException {
        if (vm.settings().pending != null) {
            throw new StorageException(vm.settingsFile(), "an interrupted " + vm.settings().pending.kind + " of '"
                    + vm.settings().pending.snapshotName + "' is still recorded; run any strata vm or snapshot command "
                    + "to finish it");
        }
    }

    /** The media registry of the VMs' home (for callers that attach media). */
    public MediaRegistry media() throws StorageException {
        return vms.media();
    }
}
