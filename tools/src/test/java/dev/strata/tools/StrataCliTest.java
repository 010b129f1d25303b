package dev.strata.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
}
