package dev.strata.tools.warmup;

import dev.strata.tools.StrataCli;
import dev.strata.tools.StrataCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code strata warm-up} (not listed in help): the training run the {@code ./strata} launcher makes once per build,
 * under the JVM option that writes its start-up archive, so that the archive holds what a real guest keeps busy:
 * the bundled demo guest (BIOS, screen, serial), then {@link #MARKER}'s boot sector (BIOS disk reads, string
 * moves and a compute loop long enough for the translating tier to start). Both run deterministically, headless,
 * with their output thrown away; the exit code says whether both reached their last line.
 */
@Command(name = "warm-up", hidden = true, mixinStandardHelpOptions = true,
        description = "Run Strata's training workload (the launcher uses it to make its start-up archive).")
public final class WarmUpCommand extends StrataCommand {
    /** What the warm-up boot sector writes to COM1 and the screen when its work is done. */
    public static final String MARKER = "Strata warm-up: done";
    private static final String DEMO_READY = "Strata demo guest: ready";
    private static final int FLOPPY_BYTES = 1_474_560;

    @Override
    protected int execute() throws IOException {
        Path floppy = Files.createTempFile("strata-warm-up", ".img");
        try {
            Files.write(floppy, floppyImage());
            int demo = run("run", "--headless", "--deterministic", "--serial", "none", "--expect", DEMO_READY,
                    "--timeout", "60");
            int loop = run("run", "--headless", "--deterministic", "--serial", "none", "--fda", floppy.toString(),
                    "--expect", MARKER, "--timeout", "120");
            if (demo != OK || loop != OK) {
                err().println("strata warm-up: a training guest did not finish (demo " + demo + ", warm-up " + loop
                        + ")");
                return FAILED;
            }
            return OK;
        } finally {
            Files.deleteIfExists(floppy);
        }
    }

    /** The warm-up boot sector on an otherwise empty 1.44 MB floppy. */
    static byte[] floppyImage() throws IOException {
        byte[] image = new byte[FLOPPY_BYTES];
        try (InputStream in = WarmUpCommand.class.getResourceAsStream("warmup.bin")) {
            if (in == null) {
                throw new IllegalStateException("warmup.bin is missing from the strata jar; rebuild Strata");
            }
            byte[] sector = in.readAllBytes();
            System.arraycopy(sector, 0, image, 0, sector.length);
        }
        return image;
    }

    private static int run(String... args) {
        CommandLine cl = StrataCli.commandLine(args);
        PrintWriter discard = new PrintWriter(new StringWriter());
        cl.setOut(discard);
        cl.setErr(discard);
        return cl.execute(args);
    }
}
