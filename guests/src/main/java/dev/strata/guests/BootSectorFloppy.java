package dev.strata.guests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a 1.44 MB floppy image whose boot sector is a nasm source of the project (the small test guests under
 * {@code guests/}): assembled with {@code nasm -f bin}, written at the start of an otherwise empty image.
 */
public final class BootSectorFloppy {

    private BootSectorFloppy() {
    }

    /** Thrown when nasm cannot be started; a test skips (or fails in CI) with its message. */
    public static final class NasmMissing extends HostProgramMissing {
        NasmMissing(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Assembles {@code source} (a path relative to the project root, such as {@code guests/vga/vbelfb.asm}) into
     * {@code dir} and returns the floppy image made from it.
     *
     * @throws NasmMissing when nasm is not installed (Debian package {@code nasm})
     * @throws IOException when nasm fails (the message holds its output) or the files cannot be written
     */
    public static Path build(String source, Path dir) throws IOException, InterruptedException {
        Path bin = assemble(source, dir);
        String name = bin.getFileName().toString().replaceFirst("\\.bin$", "");
        byte[] image = new byte[1_474_560];
        byte[] boot = Files.readAllBytes(bin);
        System.arraycopy(boot, 0, image, 0, boot.length);
        return Files.write(dir.resolve(name + ".img"), image);
    }

    /**
     * Assembles {@code source} (relative to the project root) with {@code nasm -f bin} into {@code dir} and returns
     * the flat binary, for media other than a floppy (an El Torito boot image, say).
     *
     * @throws NasmMissing when nasm is not installed (Debian package {@code nasm})
     * @throws IOException when nasm fails (the message holds its output)
     */
    public static Path assemble(String source, Path dir) throws IOException, InterruptedException {
        String name = Path.of(source).getFileName().toString().replaceFirst("\\.asm$", "");
        return assembleTo(source, dir.resolve(name + ".bin"));
    }

    /**
     * Assembles {@code source} (relative to the project root) with {@code nasm -f bin} into the file {@code bin},
     * each of {@code defines} given to nasm as {@code -DNAME} (a source that builds a DOS program too, say).
     *
     * @throws NasmMissing when nasm is not installed (Debian package {@code nasm})
     * @throws IOException when nasm fails (the message holds its output)
     */
    public static Path assembleTo(String source, Path bin, String... defines) throws IOException, InterruptedException {
        Path asm = SharedData.projectRoot().resolve(source);
        // guests/common/ holds the includes boot-sector guests share (flat32.inc)
        String includes = SharedData.projectRoot().resolve("guests/common").toString() + "/";
        List<String> command = new ArrayList<>(List.of("nasm", "-f", "bin", "-I", includes, "-o", bin.toString()));
        for (String define : defines) {
            command.add("-D" + define);
        }
        command.add(asm.toString());
        Process nasm;
        try {
            nasm = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NasmMissing("nasm is needed to build " + source + " (Debian package nasm): " + e.getMessage(),
                    e);
        }
        String log = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!nasm.waitFor(60, TimeUnit.SECONDS)) {
            nasm.destroyForcibly();
            throw new IOException("nasm did not finish building " + source + " in 60 s");
        }
        if (nasm.exitValue() != 0) {
            throw new IOException("nasm failed on " + source + ": " + log);
        }
        return bin;
    }
}
