package dev.strata.tools.snapshot;

import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM list}: the snapshot tree, the current snapshot marked with {@code *}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Show the snapshot tree; * marks the current"
        + " snapshot.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Override
    public Integer call() throws Exception {
        VirtualMachine vm = VirtualMachines.ofDefaultHome().open(parent.vm);
        if (vm.allSnapshots().isEmpty()) {
            System.out.println("VM '" + vm.name() + "' has no snapshots");
        }
        print(vm.settings().snapshots, "", vm.settings().currentSnapshot);
        return 0;
    }

    private static void print(List<SnapshotNode> nodes, String indent, UUID current) {
        for (SnapshotNode n : nodes) {
            System.out.println(indent + (n.uuid.equals(current) ? "* " : "  ") + n.name + " (" + n.uuid + ")"
                    + (n.online ? " [online]" : "") + (n.description != null ? " - " + n.description : ""));
            print(n.children, indent + "    ", current);
        }
    }
}
