package dev.strata.tools.medium;

import dev.strata.tools.StrataCli;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata medium}: create, inspect, change and remove virtual disks (VirtualBox's media manager verbs). */
@Command(name = "medium", description = "Manage virtual disk images (media) and their differencing chains.",
        mixinStandardHelpOptions = true,
        subcommands = {CreateCommand.class, ModifyCommand.class, InfoCommand.class, WriteCommand.class,
            CatCommand.class, CloneCommand.class, MergeCommand.class, CheckCommand.class, ListCommand.class,
            TreeCommand.class, CloseCommand.class})
public final class MediumCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a verb there is nothing to do: usage on standard error and exit code 2, as for any mistake. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return StrataCli.USAGE;
    }
}
