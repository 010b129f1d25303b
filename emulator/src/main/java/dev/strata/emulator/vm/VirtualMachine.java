package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One VM: its folder and the settings read from it; {@link #save()} writes them back atomically and brings the
 * media registry of its Strata home in step with the diffs the settings name.
 */
public final class VirtualMachine {
    /** The folder inside the VM folder that holds snapshot and per-attachment diffs. */
    public static final String SNAPSHOTS = "Snapshots";
    /** The control socket's file name in the VM folder; it exists only while the VM runs. */
    public static final String CONTROL_SOCKET = "control.sock";

    private final Path folder;
    private VmSettings settings;
    private final Path home;

    VirtualMachine(Path folder, VmSettings settings, Path home) {
        this.folder = folder.toAbsolutePath().normalize();
        this.settings = settings;
        this.home = home;
    }

    public Path folder() {
        return folder;
    }

    public Path settingsFile() {
        return folder.resolve(VmSettingsFile.FILE_NAME);
    }

    /** The running VM's control socket (see module {@code vm}). */
    public Path controlSocket() {
        return folder.resolve(CONTROL_SOCKET);
    }

    public Path snapshotsFolder() {
        return folder.resolve(SNAPSHOTS);
    }

    /**
     * Takes the VM's run lock and reads its settings again under it. Another process may have changed them while
     * this one read them and waited for the lock (deleted a snapshot, run the VM and saved it): whatever this process
     * does under the lock must start from what that process left, or saving would undo its work. Settings objects
     * and snapshot nodes obtained before are stale afterwards.
     */
    public VmRunLock lock() throws IOException {
        VmRunLock lock = VmRunLock.acquire(folder, name());
        try {
            settings = VmSettingsFile.read(settingsFile());
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The live settings; change them and call {@link #save()}. */
    public VmSettings settings() {
        return settings;
    }

    public String name() {
        return settings.name;
    }

    public void save() throws IOException {
        VmSettingsFile.write(settingsFile(), settings);
        KillPoints.reach("settings-saved"); // the registry catches up at the next save or open
        VmDiffRegistration.sync(this, home);
    }

    /** The Strata home whose media registry holds this VM's media. */
    Path home() {
        return home;
    }

    /** Every snapshot, depth first from the roots. */
    public List<SnapshotNode> allSnapshots() {
        List<SnapshotNode> out = new ArrayList<>();
        collect(settings.snapshots, out);
        return out;
    }

    private static void collect(List<SnapshotNode> nodes, List<SnapshotNode> out) {
        for (SnapshotNode n : nodes) {
            out.add(n);
            collect(n.children, out);
        }
    }

    public Optional<SnapshotNode> snapshot(UUID uuid) {
        return allSnapshots().stream().filter(n -> n.uuid.equals(uuid)).findFirst();
    }

    /** The snapshot called {@code nameOrUuid}; the error lists the snapshots there are. */
    public SnapshotNode snapshot(String nameOrUuid) throws StorageException {
        List<SnapshotNode> found = allSnapshots().stream()
                .filter(n -> n.name.equals(nameOrUuid) || n.uuid.toString().equalsIgnoreCase(nameOrUuid)).toList();
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new StorageException(settingsFile(), "VM '" + name() + "' has no snapshot '" + nameOrUuid
                    + "'; see `strata snapshot " + name() + " list`");
        }
        throw new StorageException(settingsFile(), "VM '" + name() + "' has " + found.size() + " snapshots named '"
                + nameOrUuid + "'; name it by UUID instead (see `strata snapshot " + name() + " list`)");
    }

    /** The current snapshot, if any. */
    public Optional<SnapshotNode> currentSnapshot() {
        return settings.currentSnapshot == null ? Optional.empty() : snapshot(settings.currentSnapshot);
    }

    /** The parent of {@code node} in the tree, or null for a root. */
    public SnapshotNode parentOf(SnapshotNode node) {
        for (SnapshotNode n : allSnapshots()) {
            if (n.children.contains(node)) {
                return n;
            }
        }
        return null;
    }

    /** Refuses a change while the VM runs. */
    public void requireStopped(String what) throws StorageException {
        if (settings.state.live()) {
            throw new StorageException(settingsFile(), "VM '" + name() + "' is " + settings.state.label() + "; power"
                    + " it off first (`strata vm control " + name() + " poweroff`) to " + what);
        }
    }
}
