package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the {@code strata medium} command tests share: a temporary folder for their images, the Strata home inside
 * it, and in-process runs of {@code strata} that keep what each printed and check how it ended.
 */
abstract class MediumCommandHarness {
    @TempDir
    Path dir;
    Path home;

    /** What one command run printed and returned (plain fields: the tests read them directly). */
    static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }

    @BeforeEach
    void pointHomeAtTemp() {
        home = dir.resolve("home");
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(StrataHome.PROPERTY);
    }

    Run run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs a command that must succeed. */
    Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.exit, "strata " + String.join(" ", args) + "\nout: " + r.out + "\nerr: " + r.err);
        return r;
    }

    /** Runs a command that must fail with exit 1 and a "strata: " message, never a stack trace. */
    Run fails(String... args) {
        Run r = run(args);
        assertEquals(1, r.exit, "strata " + String.join(" ", args) + " should fail\nout: " + r.out + "\nerr: " + r.err);
        assertTrue(r.err.startsWith("strata: "), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        return r;
    }

    /** A file of the test's temporary folder. */
    String file(String name) {
        return dir.resolve(name).toString();
    }
}
