package dev.strata.tools.snapshot;

import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.tools.StrataCommand;
import dev.strata.tools.medium.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM delete SNAP}: merges the snapshot's diffs away; an interrupted delete is resumed. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a snapshot, merging its"
        + " differencing images into their neighbours (an interrupted delete is finished by the next command).")
final class DeleteCommand extends StrataCommand {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "SNAP")
    String snap;

    @Option(names = "--rollback", description = "undo an interrupted delete of SNAP instead of finishing it (possible"
            + " until a merge has changed an image the snapshot needs)")
    boolean rollback;

    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        if (rollback) {
            VirtualMachine held = vms.open(parent.vm, false);
            if (held.settings().pending == null || !snap.equals(held.settings().pending.snapshotName)
                    && !snap.equalsIgnoreCase(String.valueOf(held.settings().pending.snapshot))) {
                throw new IllegalArgumentException("VM '" + parent.vm + "' has no interrupted delete of snapshot '"
                        + snap + "' to roll back");
            }
            new Snapshots(vms).rollbackPending(held);
            out().println("rolled back the interrupted delete of snapshot '" + snap + "'");
            return 0;
        }
        VirtualMachine vm = vms.open(parent.vm);
        new Snapshots(vms).delete(vm, vm.snapshot(snap), TerminalProgress.forTask("Merging"));
        out().println("deleted snapshot '" + snap + "'");
        return 0;
    }
}
