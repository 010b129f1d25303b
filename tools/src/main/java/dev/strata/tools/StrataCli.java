package dev.strata.tools;

import dev.strata.tools.bench.BenchCommand;
import dev.strata.tools.cputest.CpuTestCommand;
import dev.strata.tools.medium.MediumCommand;
import dev.strata.tools.snapshot.SnapshotCommand;
import dev.strata.tools.vm.VmCommand;
import dev.strata.tools.run.RunCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} command line: one entry point with a subcommand per noun. */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = StrataVersion.class,
        description = "Strata: an x86 PC emulator with VirtualBox-style virtual disks.",
        subcommands = {CommandLine.HelpCommand.class, RunCommand.class, BenchCommand.class, CpuTestCommand.class,
                MediumCommand.class, VmCommand.class, SnapshotCommand.class})
public final class StrataCli implements Callable<Integer> {
    /** Exit code for a command-line mistake, such as a missing subcommand. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand there is nothing to do: the usage goes to standard error, as for any mistake. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Builds the command line with every subcommand and Strata's error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StrataCli());
        cl.setExecutionExceptionHandler(new CliErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // JMH's options (-f, -wi, -i, ...) pass through to JMH in the order given.
        cl.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
