package dev.strata.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A FreeDOS workload for {@code strata bench guests}: what AUTOEXEC.BAT runs on a copy of the floppy before it
 * writes {@link #MARKER} to COM1, which is where both Strata and QEMU are watched.
 */
public enum GuestWorkload {
    /** Boot to the prompt: AUTOEXEC.BAT only reports that DOS is up. */
    BOOT(null),
    /** Boot, then run a compute loop of about 85 million instructions (loads, ALU, CALL/RET, DIV). */
    LOOP("loop.com");

    /** What the guest writes to COM1 when the workload is done. */
    public static final String MARKER = "STRATA-BENCH-DONE";

    private final String program;

    GuestWorkload(String program) {
        this.program = program;
    }

    /** The AUTOEXEC.BAT that runs this workload (DOS line ends). */
    public String autoexec() {
        StringBuilder b = new StringBuilder("@ECHO OFF\r\n");
        if (program != null) {
            b.append(program.toUpperCase(java.util.Locale.ROOT)).append("\r\n");
        }
        return b.append("ECHO ").append(MARKER).append("> AUX\r\n").toString();
    }

    /**
     * Makes {@code image}, a copy of {@code floppy} with this workload's AUTOEXEC.BAT and program on it, using
     * mtools' {@code mcopy}.
     */
    public void prepare(Path floppy, Path image, Path workDir) throws IOException, InterruptedException {
        Files.copy(floppy, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path autoexec = workDir.resolve("AUTOEXEC.BAT");
        Files.writeString(autoexec, autoexec(), StandardCharsets.US_ASCII);
        mcopy(image, autoexec, "AUTOEXEC.BAT");
        if (program != null) {
            Path prog = workDir.resolve(program);
            try (InputStream in = GuestWorkload.class.getResourceAsStream(program)) {
                if (in == null) {
                    throw new IllegalStateException(program + " is missing from the strata jar; rebuild Strata");
                }
                Files.copy(in, prog, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            mcopy(image, prog, program.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private static void mcopy(Path image, Path file, String name) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mcopy", "-o", "-i", image.toString(), file.toString(), "::" + name));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("mcopy not found: install mtools (e.g. apt-get install mtools) to let "
                    + "strata bench guests put workloads on a copy of the floppy");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(image + ": mcopy could not write " + name + " (is it a FAT floppy image?): "
                    + out);
        }
    }
}
