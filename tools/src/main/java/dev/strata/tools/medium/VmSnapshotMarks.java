package dev.strata.tools.medium;

import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.storage.media.Medium;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code strata medium tree --vm NAME} writes beside each image of a VM's disks: the snapshots that froze it
 * (a snapshot's disks are the images that were current when it was taken) and, on the image the VM writes now,
 * "current state".
 */
final class VmSnapshotMarks {

    /** No VM: no marks. */
    static final VmSnapshotMarks NONE = new VmSnapshotMarks(Map.of(), List.of());

    private final Map<Path, String> marks;
    private final List<Path> disks;

    private VmSnapshotMarks(Map<Path, String> marks, List<Path> disks) {
        this.marks = marks;
        this.disks = disks;
    }

    /** The marks of {@code vm}'s hard disks, from its snapshots (oldest first) and its own drives. */
    static VmSnapshotMarks of(VirtualMachine vm) {
        Map<Path, String> marks = new LinkedHashMap<>();
        for (SnapshotNode node : vm.allSnapshots()) {
            for (Attachment a : node.attachments) {
                if (a.driveType().takesSnapshotDiffs()) {
                    marks.merge(top(a), "snapshot '" + node.name + "'", (x, y) -> x + ", " + y);
                }
            }
        }
        List<Path> disks = new ArrayList<>();
        for (Attachment a : vm.settings().attachments) {
            if (a.driveType().takesSnapshotDiffs()) {
                marks.merge(top(a), "current state", (x, y) -> x + ", " + y);
                disks.add(top(a));
            }
        }
        return new VmSnapshotMarks(marks, List.copyOf(disks));
    }

    /** The VM's hard disks as it writes them now (the top image of each). */
    List<Path> disks() {
        return disks;
    }

    /** The mark of {@code m}, or "" when it has none. */
    String of(Medium m) {
        return marks.getOrDefault(m.path().toAbsolutePath().normalize(), "");
    }

    private static Path top(Attachment a) {
        return Path.of(a.current != null ? a.current : a.mediumPath).toAbsolutePath().normalize();
    }
}
