package dev.strata.emulator.vm;

import dev.strata.storage.Progress;
import java.nio.file.Path;

/**
 * A child JVM for kill tests: runs {@code take}, {@code restore} or {@code delete} of snapshot {@code args[3]} on VM
 * {@code args[1]} in home {@code args[0]}, usually to be halted at a {@link KillPoints} point on the way.
 */
final class SnapshotOpChild {
    private SnapshotOpChild() {
    }

    public static void main(String[] args) throws Exception {
        VirtualMachines vms = new VirtualMachines(Path.of(args[0]));
        VirtualMachine vm = vms.open(args[1]);
        Snapshots snapshots = new Snapshots(vms);
        switch (args[2]) {
            case "take" -> snapshots.take(vm, args[3], null, false);
            case "restore" -> snapshots.restore(vm, vm.snapshot(args[3]));
            case "delete" -> snapshots.delete(vm, vm.snapshot(args[3]), Progress.NONE);
            default -> throw new IllegalArgumentException(args[2]);
        }
        System.out.println("done");
    }
}
