package dev.strata.tools.medium;

import dev.strata.tools.CommandGroup;
import picocli.CommandLine.Command;

/** {@code strata medium}: create, inspect, change and remove virtual disks (VirtualBox's media manager verbs). */
@Command(name = "medium", description = "Manage virtual disk images (media) and their differencing chains.",
        mixinStandardHelpOptions = true,
        subcommands = {CreateCommand.class, ModifyCommand.class, InfoCommand.class, WriteCommand.class,
            CatCommand.class, CloneCommand.class, MergeCommand.class, CheckCommand.class, ListCommand.class,
            TreeCommand.class, ExplainCommand.class, ResizeCommand.class, CompactCommand.class, CloseCommand.class})
public final class MediumCommand extends CommandGroup {
}
