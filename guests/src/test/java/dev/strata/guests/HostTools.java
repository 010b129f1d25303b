package dev.strata.guests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Host programs guest tests build fixtures with (mtools, dosfstools, xorriso, nasm). In CI ({@code CI=true}) a missing
 * program fails the test; elsewhere the test is skipped with a loud message naming the Debian package.
 */
public final class HostTools {

    private HostTools() {
    }

    /** Requires each program (name:package pairs like "mkfs.vfat:dosfstools") on the PATH. */
    public static void require(String... programs) {
        for (String spec : programs) {
            String name = spec.split(":")[0];
            String pkg = spec.contains(":") ? spec.split(":")[1] : name;
            if (onPath(name)) {
                continue;
            }
            missing("host program " + name + " not found: install the Debian package " + pkg);
        }
    }

    /** The floppy made from a nasm boot sector of the project ({@link BootSectorFloppy#build}). */
    public static Path floppy(String source, Path dir) throws IOException, InterruptedException {
        try {
            return BootSectorFloppy.build(source, dir);
        } catch (HostProgramMissing e) {
            missing(e.getMessage());
            return null;
        }
    }

    /**
     * A DOS program assembled from a nasm source of the project and copied (mtools) into the root of the FAT floppy
     * {@code floppy} as {@code name}; {@code defines} go to nasm as -DNAME.
     */
    public static void dosProgram(String source, Path floppy, String name, String... defines)
            throws IOException, InterruptedException {
        require("mcopy:mtools");
        Path program = floppy.resolveSibling(name);
        try {
            BootSectorFloppy.assembleTo(source, program, defines);
        } catch (HostProgramMissing e) {
            missing(e.getMessage());
        }
        run("mcopy", "-o", "-i", floppy.toString(), program.toString(), "::" + name);
    }

    /** The El Torito CD made from a nasm boot image of the project ({@link BootCd#build}). */
    public static Path cd(String source, String volume, Path dir) throws IOException, InterruptedException {
        try {
            return BootCd.build(source, volume, dir);
        } catch (HostProgramMissing e) {
            missing(e.getMessage());
            return null;
        }
    }

    /** Fails in CI, else skips the test loudly. */
    private static void missing(String message) {
        if (SharedData.inCi()) {
            throw new IllegalStateException(message + " (required in CI)");
        }
        System.err.println("*** SKIPPING: " + message);
        assumeTrue(false, message);
    }

    private static boolean onPath(String name) {
        return locate(name) != null;
    }

    private static Path locate(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of(path == null ? new String[0] : path.split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name);
            }
        }
        return null;
    }

    /** Runs a command (PATH plus /usr/sbin), returns its standard output; fails with its output when it fails. */
    public static String run(String... command) throws IOException, InterruptedException {
        String[] resolved = command.clone();
        Path program = locate(command[0]);
        if (program != null) {
            resolved[0] = program.toString();
        }
        ProcessBuilder pb = new ProcessBuilder(resolved).redirectErrorStream(true);
        pb.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + rc + ":\n" + out);
        }
        return out;
    }
}
