package dev.strata.tools.snapshot;

import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM restore SNAP}: discards the current state and makes the snapshot's current. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Go back to a snapshot: the current"
        + " disk changes are discarded.")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "SNAP")
    String snap;

    @Override
    public Integer call() throws Exception {
        VirtualMachines vms = VirtualMachines.ofDefaultHome();
        VirtualMachine vm = vms.open(parent.vm);
        new Snapshots(vms).restore(vm, vm.snapshot(snap));
        System.out.println("restored snapshot '" + snap + "'");
        return 0;
    }
}
