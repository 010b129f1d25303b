package dev.strata.tools.snapshot;

import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.tools.StrataCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM restore SNAP}: discards the current state and makes the snapshot's current. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Go back to a snapshot: the current"
        + " disk changes are discarded.")
final class RestoreCommand extends StrataCommand {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "SNAP")
    String snap;

    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        VirtualMachine vm = vms.open(parent.vm);
        new Snapshots(vms).restore(vm, vm.snapshot(snap));
        out().println("restored snapshot '" + snap + "'");
        return 0;
    }
}
