package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumUse;
import dev.strata.storage.media.MediumUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The media rules' view of a Strata home's VMs: which VMs use a medium, read from their settings files (the one
 * record of attachments) without changing anything, and whether each is running or Saved.
 */
public final class VmMediumUsers implements MediumUsers {
    private final VirtualMachines vms;

    public VmMediumUsers(VirtualMachines vms) {
        this.vms = vms;
    }

    @Override
    public List<MediumUse> of(Medium medium) throws IOException {
        List<MediumUse> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : vms.list().entrySet()) {
            Path settingsFile = e.getValue().resolve(VmSettingsFile.FILE_NAME);
            if (!Files.isRegularFile(settingsFile)) {
                continue; // a VM whose folder is gone uses nothing
            }
            VmSettings s;
            try {
                s = VmSettingsFile.read(settingsFile);
            } catch (StorageException bad) {
                // refusing is safer than guessing: that VM may have the medium attached
                throw new StorageException(medium.path(), "cannot tell whether VM '" + e.getKey() + "' uses it: "
                        + bad.getMessage() + "; fix that VM's settings (or delete the VM) first", bad);
            }
            MediumUse.Condition condition = s.state.live() && VmRunLock.held(e.getValue()) ? MediumUse.Condition.RUNNING
                    : s.state == VmState.SAVED ? MediumUse.Condition.SAVED : MediumUse.Condition.STOPPED;
            for (Attachment a : s.attachments) {
                if (uses(a, medium)) {
                    out.add(new MediumUse(e.getKey(), settingsFile, a.slot(), null, false, condition));
                }
            }
            List<SnapshotNode> nodes = new ArrayList<>();
            collect(s.snapshots, nodes);
            for (SnapshotNode n : nodes) {
                for (Attachment a : n.attachments) {
                    if (uses(a, medium)) {
                        out.add(new MediumUse(e.getKey(), settingsFile, a.slot(), n.name,
                                same(VmMedia.top(a), medium.path()), condition));
                    }
                }
            }
        }
        return out;
    }

    /** True when {@code a} holds the medium itself or writes to it as its current image. */
    private static boolean uses(Attachment a, Medium m) {
        return m.uuid().equals(a.medium) || (a.mediumPath != null && same(Path.of(a.mediumPath), m.path()))
                || (a.current != null && same(Path.of(a.current), m.path()));
    }

    private static boolean same(Path a, Path b) {
        Path x = a.toAbsolutePath().normalize();
        Path y = b.toAbsolutePath().normalize();
        if (x.equals(y)) {
            return true;
        }
        try {
            return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
        } catch (IOException e) {
            return false;
        }
    }

    private static void collect(List<SnapshotNode> nodes, List<SnapshotNode> out) {
        for (SnapshotNode n : nodes) {
            out.add(n);
            collect(n.children, out);
        }
    }
}
