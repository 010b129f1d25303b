package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata run --save-state} and {@code --restore-state} with the bundled demo guest. */
class SavedStateOptionsTest {

    @TempDir
    Path dir;

    private StringWriter err = new StringWriter();

    private int run(String... args) {
        err = new StringWriter();
        CommandLine cl = StrataCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    @Test
    void aRunSavedAtItsExpectationContinuesFromTheFile() throws Exception {
        Path state = dir.resolve("demo.sav");
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--expect",
                "Strata demo guest: ready", "--save-state", state.toString(), "--timeout", "60"), err.toString());
        assertTrue(err.toString().contains("saved the machine's state to " + state), err.toString());
        assertTrue(Files.size(state) > 1000);

        Path screen = dir.resolve("screen.txt");
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--restore-state", state.toString(),
                "--type", "resumed", "--expect", "resumed", "--timeout", "60", "--screen-dump", screen.toString()),
                err.toString());
        String text = Files.readString(screen);
        assertTrue(text.contains("Strata demo guest") && text.contains("resumed"), text);
    }

    @Test
    void saveStateNeedsAnExpectation() {
        assertEquals(1, run("--headless", "--deterministic", "--save-state", dir.resolve("x.sav").toString()));
        assertTrue(err.toString().contains("--save-state saves once every --expect is met"), err.toString());
    }

    @Test
    void restoringOntoOtherMemoryIsRefusedClearly() throws Exception {
        Path state = dir.resolve("demo.sav");
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--expect",
                "Strata demo guest: ready", "--save-state", state.toString(), "--timeout", "60"), err.toString());
        assertEquals(1, run("--headless", "--deterministic", "--serial", "none", "--memory", "16",
                "--restore-state", state.toString()));
        assertTrue(err.toString().contains("saved from a different machine")
                && err.toString().contains("memory: the file has 'memory 32 MiB', this machine has 'memory 16 MiB'"),
                err.toString());
        assertTrue(!err.toString().contains("Exception"), err.toString());
    }
}
