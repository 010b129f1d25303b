package dev.strata.guests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds a bootable ISO9660 CD image whose El Torito boot image (no emulation, four 512-byte sectors loaded at
 * 07C0:0000) is a nasm source of the project, with xorriso; the volume identifier lets a guest show it read the CD.
 */
public final class BootCd {

    private BootCd() {
    }

    /**
     * Assembles {@code source} (relative to the project root) into {@code dir} and returns {@code <name>.iso} made
     * from it, with volume identifier {@code volumeId}.
     *
     * @throws HostProgramMissing when nasm or xorriso is not installed (Debian packages of the same names)
     * @throws IOException when either fails (the message holds its output)
     */
    public static Path build(String source, String volumeId, Path dir) throws IOException, InterruptedException {
        Path bin = BootSectorFloppy.assemble(source, dir);
        String name = bin.getFileName().toString().replaceFirst("\\.bin$", "");
        Path tree = Files.createDirectories(dir.resolve(name + "-cd"));
        Files.copy(bin, tree.resolve("boot.bin"));
        Path iso = dir.resolve(name + ".iso");
        Process xorriso;
        try {
            xorriso = new ProcessBuilder("xorriso", "-as", "mkisofs", "-quiet", "-V", volumeId, "-b", "boot.bin",
                    "-no-emul-boot", "-boot-load-size", "4", "-o", iso.toString(), tree.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new HostProgramMissing("xorriso is needed to build a CD from " + source
                    + " (Debian package xorriso): " + e.getMessage(), e);
        }
        String log = new String(xorriso.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!xorriso.waitFor(60, TimeUnit.SECONDS)) {
            xorriso.destroyForcibly();
            throw new IOException("xorriso did not finish building " + iso + " in 60 s");
        }
        if (xorriso.exitValue() != 0) {
            throw new IOException("xorriso failed on " + iso + ": " + log);
        }
        return iso;
    }
}
