package dev.strata.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StrataCliTest {
    @Test
    void versionNamesStrata() {
        CommandLine cl = StrataCli.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertTrue(out.toString().startsWith("Strata "), out.toString());
    }

    @Test
    void unknownCommandFailsWithUsage() {
        CommandLine cl = StrataCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("frobnicate"));
        assertTrue(err.toString().contains("frobnicate"), err.toString());
    }

    @Test
    void benchHelpNamesTheBenchmarks() {
        CommandLine cl = StrataCli.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("bench", "--help"));
        assertTrue(out.toString().contains("StorageBench") && out.toString().contains("CpuBench"), out.toString());
    }

    @Test
    void aNamedSubcommandBuildsOnlyThatCommand() {
        assertEquals(java.util.Set.of("run"), StrataCli.commandLine("run", "--headless").getSubcommands().keySet());
        assertEquals(java.util.Set.of("vm"), StrataCli.commandLine("vm", "list").getSubcommands().keySet());
    }

    @Test
    void versionAloneNeedsNoSubcommandsAndStillAnswers() {
        CommandLine cl = StrataCli.commandLine("--version");
        assertTrue(cl.getSubcommands().isEmpty());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertTrue(out.toString().startsWith("Strata "), out.toString());
    }

    @Test
    void helpAndMistakesSeeEverySubcommand() {
        int all = StrataCli.SUBCOMMANDS.size();
        assertEquals(all, StrataCli.commandLine("help", "run").getSubcommands().size());
        assertEquals(all, StrataCli.commandLine("--help").getSubcommands().size());
        assertEquals(all, StrataCli.commandLine("frobnicate").getSubcommands().size());
        assertEquals(all, StrataCli.commandLine().getSubcommands().size());
    }

    @Test
    void benchGuestsKeepsItsOwnOptionsWhileJmhArgumentsPassThrough() {
        CommandLine cl = StrataCli.commandLine("bench", "guests");
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(1, cl.execute("bench", "guests", "--fda", "no-such-floppy.img", "--runs", "3"));
        assertTrue(err.toString().contains("no-such-floppy.img: no such floppy image"), err.toString());
        assertEquals(2, cl.execute("bench", "guests", "--runs", "3"));
        assertTrue(err.toString().contains("--fda"), err.toString());
    }

    @Test
    void noOptionTakesAValueWhoseConverterTheLauncherLeavesOut() {
        List<String> offending = new ArrayList<>();
        collectOptionTypes(StrataCli.commandLine(), offending);
        assertEquals(List.of(), offending, "picocli has no converter for these in `strata` runs (StrataCli"
                + ".UNUSED_CONVERTERS): give the option a converter of its own or a type such as String or Path");
    }

    @Test
    void theConvertersLeftOutAreJdbcAndJavaTimeOnly() {
        assertTrue("java.time.Duration".matches(StrataCli.UNUSED_CONVERTERS));
        assertTrue("java.sql.Timestamp".matches(StrataCli.UNUSED_CONVERTERS));
        assertFalse("java.nio.file.Path".matches(StrataCli.UNUSED_CONVERTERS));
    }

    private static void collectOptionTypes(CommandLine cl, List<String> offending) {
        for (CommandLine.Model.ArgSpec arg : cl.getCommandSpec().args()) {
            List<Class<?>> types = new ArrayList<>(List.of(arg.auxiliaryTypes()));
            types.add(arg.type());
            for (Class<?> type : types) {
                if (type.getName().matches(StrataCli.UNUSED_CONVERTERS) && arg.converters().length == 0) {
                    offending.add(cl.getCommandSpec().qualifiedName() + " " + arg.paramLabel() + ": " + type.getName());
                }
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            collectOptionTypes(sub, offending);
        }
    }
}
