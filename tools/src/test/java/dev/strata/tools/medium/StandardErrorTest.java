package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandardErrorTest {
    @TempDir
    Path dir;

    @Test
    void terminalDevicesAreRecognisedByName() {
        assertTrue(StandardError.isTerminalDevice("/dev/pts/3"));
        assertTrue(StandardError.isTerminalDevice("/dev/tty1"));
        assertFalse(StandardError.isTerminalDevice("/tmp/err.txt"));
        assertFalse(StandardError.isTerminalDevice("pipe:[1234]"));
        assertFalse(StandardError.isTerminalDevice("/dev/null"));
    }

    /** Runs the probe under script(1), so standard input and output are a terminal, with stderr as given. */
    private String probe(String stderrRedirect) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + ProgressProbe.class.getName() + " " + stderrRedirect;
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return Files.readString(out).trim();
    }

    private static boolean haveScript() {
        return Files.isExecutable(Path.of("/usr/bin/script")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    @Test
    void noBarWhenStandardErrorGoesToAFileFromATerminal() throws Exception {
        assumeTrue(haveScript(), "needs script(1) from util-linux and /proc");
        assertEquals("quiet", probe("2> '" + dir.resolve("err.txt") + "'"));
        assertEquals("bar", probe(""), "a person at the terminal sees the bar");
    }
}
