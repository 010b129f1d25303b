package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata run} given disk files that are no usable image: each is refused saying what it is, before boot. */
class RunDiskFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void home() {
        System.setProperty(StrataHome.PROPERTY, dir.resolve("home").toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(StrataHome.PROPERTY);
    }

    private String fails(String... args) {
        CommandLine cl = StrataCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "--headless";
        System.arraycopy(args, 0, all, 2, args.length);
        assertEquals(1, cl.execute(all), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        return err.toString();
    }

    @Test
    void directoryDeviceEmptyAndForeignDisksAreNamed() throws Exception {
        Files.createDirectory(dir.resolve("adir"));
        Files.createFile(dir.resolve("empty.img"));
        byte[] vhdx = new byte[1 << 20];
        System.arraycopy("vhdxfile".getBytes(StandardCharsets.US_ASCII), 0, vhdx, 0, 8);
        Path x = Files.write(dir.resolve("x.vhdx"), vhdx);
        String e = fails("--hda", dir.resolve("adir").toString());
        assertTrue(e.contains("adir: is a directory, not a disk image"), e);
        e = fails("--hda", "/dev/null");
        assertTrue(e.contains("/dev/null: is not a regular file"), e);
        e = fails("--hda", dir.resolve("empty.img").toString());
        assertTrue(e.contains("empty.img: is empty (0 bytes), not a disk image"), e);
        e = fails("--hda", x.toString());
        assertTrue(e.contains("x.vhdx: is a VHDX image; Strata does not open VHDX images yet"), e);
    }
}
