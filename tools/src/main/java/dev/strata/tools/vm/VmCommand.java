package dev.strata.tools.vm;

import dev.strata.tools.CommandGroup;
import picocli.CommandLine.Command;

/** {@code strata vm}: create, configure, start and control virtual machines. */
@Command(name = "vm", description = "Manage virtual machines: a folder with settings, drives and snapshots.",
        mixinStandardHelpOptions = true,
        subcommands = {CreateCommand.class, ListCommand.class, InfoCommand.class, DeleteCommand.class,
            AttachCommand.class, StartCommand.class, ControlCommand.class})
public final class VmCommand extends CommandGroup {
}
