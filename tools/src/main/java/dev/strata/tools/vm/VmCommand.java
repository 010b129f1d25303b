package dev.strata.tools.vm;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata vm}: create, configure, start and control virtual machines. */
@Command(name = "vm", description = "Manage virtual machines: a folder with settings, drives and snapshots.",
        mixinStandardHelpOptions = true,
        subcommands = {CreateCommand.class, ListCommand.class, InfoCommand.class, DeleteCommand.class,
            AttachCommand.class, StartCommand.class, ControlCommand.class})
public final class VmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
