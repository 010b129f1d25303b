package dev.strata.tools;

import dev.strata.tools.bench.BenchCommand;
import dev.strata.tools.cputest.CpuTestCommand;
import dev.strata.tools.medium.MediumCommand;
import dev.strata.tools.run.MachinePreload;
import dev.strata.tools.run.RunCommand;
import dev.strata.tools.scenario.TestCommand;
import dev.strata.tools.snapshot.SnapshotCommand;
import dev.strata.tools.vm.VmCommand;
import dev.strata.tools.warmup.WarmUpCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code strata} command line: one entry point with a subcommand per noun. */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = StrataVersion.class,
        description = "Strata: an x86 PC emulator with VirtualBox-style virtual disks.")
public final class StrataCli extends CommandGroup {
    /**
     * The subcommands, in the order help lists them. Picocli builds its model of a command by reflection over every
     * option of every nested command, which costs a quarter of a second of start-up for all of them, so
     * {@link #commandLine(String...)} builds only the one a command line names.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(CommandLine.HelpCommand.class, RunCommand.class,
            BenchCommand.class, CpuTestCommand.class, MediumCommand.class, VmCommand.class, SnapshotCommand.class,
            TestCommand.class, WarmUpCommand.class);

    /**
     * The system property that keeps picocli from registering built-in converters by reflection (it looks up the
     * JDBC and java.time classes one by one, initialising them: a few milliseconds of every start on a cold JVM).
     */
    static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    /**
     * The converters no Strata option needs: JDBC and java.time values (StrataCliTest checks that no option takes
     * one; Path, the other converter picocli registers by reflection, stays).
     */
    static final String UNUSED_CONVERTERS = "java\\.(sql|time)\\..*";

    /** Builds the command line with every subcommand and Strata's error handling. */
    public static CommandLine commandLine() {
        return build(SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name (other than help), or only ask
     * for the version, just the commands they need; otherwise (help, usage, mistakes) every subcommand, so that
     * usage messages list them all.
     */
    public static CommandLine commandLine(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return build(List.of());
        }
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0])) {
                    return build(List.of(c));
                }
            }
        }
        return commandLine();
    }

    private static CommandLine build(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new StrataCli());
        for (Class<?> c : subcommands) {
            cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler(new CliErrorHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine bench = cl.getSubcommands().get("bench");
        if (bench != null) {
            // JMH's options (-f, -wi, -i, ...) pass through to JMH in the order given; `guests` has options of its own.
            bench.setUnmatchedOptionsArePositionalParams(true);
            bench.getSubcommands().get("guests").setUnmatchedOptionsArePositionalParams(false);
        }
        return cl;
    }

    public static void main(String[] args) {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, UNUSED_CONVERTERS);
        }
        if (args.length > 0 && args[0].equals("run")) {
            MachinePreload.start();
        }
        System.exit(commandLine(args).execute(args));
    }
}
