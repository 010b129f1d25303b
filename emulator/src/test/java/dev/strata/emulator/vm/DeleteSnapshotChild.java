package dev.strata.emulator.vm;

import dev.strata.storage.Progress;
import java.nio.file.Path;
import java.util.UUID;

/** A child JVM for kill tests: deletes snapshot {@code args[2]} (a UUID) of VM {@code args[1]} in home {@code args[0]}. */
final class DeleteSnapshotChild {
    private DeleteSnapshotChild() {
    }

    public static void main(String[] args) throws Exception {
        VirtualMachines vms = new VirtualMachines(Path.of(args[0]));
        VirtualMachine vm = vms.open(args[1]);
        SnapshotNode snap = vm.snapshot(UUID.fromString(args[2])).orElseThrow();
        System.out.println("deleting");
        System.out.flush();
        boolean[] told = new boolean[1];
        Progress progress = (done, total) -> {
            if (!told[0] && done > 0) {
                told[0] = true; // the parent may kill us from here on: the merge has begun changing files
                System.out.println("merging");
                System.out.flush();
            }
        };
        new Snapshots(vms).delete(vm, snap, progress);
        System.out.println("done");
    }
}
