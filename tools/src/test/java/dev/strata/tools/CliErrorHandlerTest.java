package dev.strata.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Host file errors reach the user as the file and what is wrong, not as "I/O error: PATH". */
class CliErrorHandlerTest {

    private static String message(Exception e) {
        CommandLine cl = StrataCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(StrataCommand.FAILED, new CliErrorHandler().handleExecutionException(e, cl, null));
        return err.toString().strip();
    }

    @Test
    void permissionDeniedSaysSo() {
        assertEquals("strata: /d/x.vdi: permission denied; check the file's permissions and owner (ls -l)",
                message(new AccessDeniedException("/d/x.vdi")));
    }

    @Test
    void missingFileSaysSo() {
        assertEquals("strata: /d/in.bin: no such file or directory; check the path",
                message(new NoSuchFileException("/d/in.bin")));
    }

    @Test
    void anExplainedMissingFileKeepsItsExplanation() {
        assertEquals("strata: I/O error: /d/a.img: --fda: no such image file",
                message(new NoSuchFileException("/d/a.img", null, "--fda: no such image file")));
    }
}
