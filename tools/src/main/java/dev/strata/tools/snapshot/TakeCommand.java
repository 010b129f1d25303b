package dev.strata.tools.snapshot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.vm.control.ControlReply;
import dev.strata.vm.control.VmControlClient;
import dev.strata.storage.StorageException;
import dev.strata.tools.StrataCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM take SNAP [--live]}: freezes the VM's disks (and its state when online or Saved). */
@Command(name = "take", mixinStandardHelpOptions = true,
        description = "Take a snapshot of a powered-off or saved VM, or with --live of a running one.")
final class TakeCommand extends StrataCommand {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "SNAP")
    String snap;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(names = "--live", description = "take an online snapshot of the running VM: its disks and the saved"
            + " state of the whole machine, without stopping the guest")
    boolean live;

    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        if (live) {
            VirtualMachine vm = vms.open(parent.vm);
            ObjectNode args = JsonNodeFactory.instance.objectNode().put("name", snap);
            if (description != null) {
                args.put("description", description);
            }
            ControlReply reply;
            try (VmControlClient client = VmControlClient.connect(vm)) {
                reply = client.execute("snapshot-live", args);
            }
            if (!reply.ok()) {
                throw new StorageException(vm.settingsFile(), "online snapshot '" + snap + "' failed: "
                        + reply.errorDesc());
            }
            out().println("online snapshot '" + snap + "' taken (UUID " + reply.value().path("uuid").asText() + ")");
            return 0;
        }
        SnapshotNode n = new Snapshots(vms).take(vms.open(parent.vm), snap, description, false);
        out().println("snapshot '" + n.name + "' taken (UUID " + n.uuid + ")");
        return 0;
    }
}
