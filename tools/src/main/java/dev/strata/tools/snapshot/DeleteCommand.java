package dev.strata.tools.snapshot;

import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.tools.medium.TerminalProgress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM delete SNAP}: merges the snapshot's diffs away; an interrupted delete is resumed. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a snapshot, merging its"
        + " differencing images into their neighbours (an interrupted delete is finished by the next command).")
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "SNAP")
    String snap;

    @Override
    public Integer call() throws Exception {
        VirtualMachines vms = VirtualMachines.ofDefaultHome();
        VirtualMachine vm = vms.open(parent.vm);
        new Snapshots(vms).delete(vm, vm.snapshot(snap), TerminalProgress.forTask("Merging"));
        System.out.println("deleted snapshot '" + snap + "'");
        return 0;
    }
}
