package dev.strata.guests.freedos;

import dev.strata.guests.HostTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A working copy of the shared FreeDOS floppy for guest tests (the shared image is never modified). Until the CPU's
 * protected mode lands, HIMEM cannot run, so the copy's CONFIG.SYS is rewritten with mtools without the
 * {@code DOS=HIGH} and {@code HIMEM.EXE} lines (as the BIOS module's FreeDosBootTest does).
 */
final class FreeDosFloppy {

    static final String CONFIG_SYS = "SWITCHES=/N\r\nFILES=20\r\nBUFFERS=20\r\nSHELL=A:\\COMMAND.COM /E:512 /MSG /P\r\n";

    private FreeDosFloppy() {
    }

    static Path copy(Path shared, Path target) throws IOException, InterruptedException {
        Files.copy(shared, target);
        Path config = target.resolveSibling("CONFIG.SYS");
        Files.writeString(config, CONFIG_SYS, StandardCharsets.US_ASCII);
        HostTools.run("mcopy", "-o", "-i", target.toString(), config.toString(), "::CONFIG.SYS");
        Files.delete(config);
        return target;
    }
}
