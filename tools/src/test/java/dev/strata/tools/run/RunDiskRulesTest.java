package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata run} holds a registered hard disk to the media rules when the guest would write it in place. */
@Timeout(120)
class RunDiskRulesTest {
    @TempDir
    Path home;

    @BeforeEach
    void pointHomeAtTemp() {
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(StrataHome.PROPERTY);
    }

    private int strata(StringWriter err, String... args) {
        CommandLine cl = StrataCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void aDiskFrozenByASnapshotRunsOnlyOverAThrowawayDiff() throws Exception {
        StringWriter err = new StringWriter();
        String c = home.resolve("c.vdi").toString();
        assertEquals(0, strata(err, "medium", "create", "--filename", c, "--size", "1"), err.toString());
        assertEquals(0, strata(err, "vm", "create", "v", "--memory", "4"), err.toString());
        assertEquals(0, strata(err, "vm", "attach", "v", "--controller", "ide", "--port", "0", "--device", "0",
                "--type", "hdd", "--medium", c), err.toString());
        assertEquals(0, strata(err, "snapshot", "v", "take", "S"), err.toString());
        byte[] before = Files.readAllBytes(Path.of(c));

        StringWriter refused = new StringWriter();
        assertEquals(1, strata(refused, "run", "--hda", c, "--headless", "--serial", "none", "--timeout", "1"));
        assertTrue(refused.toString().contains("frozen by snapshot 'S' of VM 'v'")
                && refused.toString().contains("--snapshot"), refused.toString());

        StringWriter throwaway = new StringWriter();
        strata(throwaway, "run", "--hda", c, "--snapshot", "--headless", "--serial", "none", "--timeout", "1");
        assertFalse(throwaway.toString().contains("frozen"), throwaway.toString());
        assertArrayEquals(before, Files.readAllBytes(Path.of(c)));
    }
}
