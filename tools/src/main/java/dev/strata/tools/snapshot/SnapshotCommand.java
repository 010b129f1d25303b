package dev.strata.tools.snapshot;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata snapshot VM take|restore|delete|list}: a VM's snapshots (VBoxManage snapshot's verbs). */
@Command(name = "snapshot", description = "Take, restore, delete and list a VM's snapshots.",
        mixinStandardHelpOptions = true,
        subcommands = {TakeCommand.class, RestoreCommand.class, DeleteCommand.class, ListCommand.class})
public final class SnapshotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VM", description = "the VM's name")
    String vm;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
