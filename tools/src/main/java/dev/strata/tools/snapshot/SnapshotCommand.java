package dev.strata.tools.snapshot;

import dev.strata.tools.CommandGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata snapshot VM take|restore|delete|list}: a VM's snapshots (VBoxManage snapshot's verbs). */
@Command(name = "snapshot", description = "Take, restore, delete and list a VM's snapshots.",
        mixinStandardHelpOptions = true,
        subcommands = {TakeCommand.class, RestoreCommand.class, DeleteCommand.class, ListCommand.class})
public final class SnapshotCommand extends CommandGroup {
    @Parameters(index = "0", paramLabel = "VM", description = "the VM's name")
    String vm;
}
