package dev.strata.tools.snapshot;

import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.tools.StrataCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code strata snapshot VM list}: the snapshot tree, the current snapshot marked with {@code *}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Show the snapshot tree; * marks the current"
        + " snapshot.")
final class ListCommand extends StrataCommand {
    @ParentCommand
    SnapshotCommand parent;

    @Override
    protected int execute() throws Exception {
        VirtualMachine vm = vms().open(parent.vm);
        if (vm.allSnapshots().isEmpty()) {
            out().println("VM '" + vm.name() + "' has no snapshots");
        }
        print(out(), vm.settings().snapshots, "", vm.settings().currentSnapshot);
        return OK;
    }

    private static void print(PrintWriter out, List<SnapshotNode> nodes, String indent, UUID current) {
        for (SnapshotNode n : nodes) {
            out.println(indent + (n.uuid.equals(current) ? "* " : "  ") + n.name + " (" + n.uuid + ")"
                    + (n.online ? " [online]" : "") + (n.description != null ? " - " + n.description : ""));
            print(out, n.children, indent + "    ", current);
        }
    }
}
