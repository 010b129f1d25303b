package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.guests.HostTools;
import dev.strata.guests.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Linux guest the recipe {@code guests/linux/build.sh} builds from Debian packages (kernel, initramfs, SYSLINUX
 * hard disk), built once per test JVM into the cache outside the repository. Without the host tools or the Debian
 * archive the tests skip with a loud message, except in CI, where they fail.
 */
final class LinuxGuest {

    /** The shell prompt the guest's init sets. */
    static final String PROMPT = "strata-linux# ";
    /** What the kernel's real-mode setup prints when the CPU lacks a feature the kernel was built for. */
    static final String CPU_REFUSED = "not present on the CPU";

    private static LinuxGuest built;

    final String kernelVersion;
    final Path kernel;
    final Path initrd;
    final Path disk;

    private LinuxGuest(Map<String, String> v) {
        kernelVersion = v.get("KERNEL_VERSION");
        kernel = Path.of(v.get("KERNEL"));
        initrd = Path.of(v.get("INITRD"));
        disk = Path.of(v.get("DISK"));
    }

    /** Builds the guest (or finds it cached) and returns its files. */
    static synchronized LinuxGuest get() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        Path script = Path.of("linux", "build.sh").toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            script = Path.of("guests", "linux", "build.sh").toAbsolutePath();
        }
        HostTools.require("apt-get:apt", "dpkg-deb:dpkg", "cpio", "depmod:kmod", "sfdisk:fdisk",
                "mkfs.vfat:dosfstools", "mcopy:mtools", "syslinux");
        if (!Files.isRegularFile(Path.of("/usr/lib/syslinux/mbr/mbr.bin"))) {
            HostTools.require("syslinux-mbr-missing:syslinux-common");
        }
        String out;
        try {
            out = HostTools.run("bash", script.toString());
        } catch (IOException e) {
            if (SharedData.inCi()) {
                throw e;
            }
            System.err.println("*** SKIPPING: the Linux guest could not be built: " + e.getMessage());
            assumeTrue(false, "Linux guest build failed");
            throw e;
        }
        Map<String, String> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        if (!values.containsKey("DISK") || !values.containsKey("KERNEL_VERSION")) {
            throw new IOException("build.sh printed no KERNEL_VERSION/DISK lines:\n" + out);
        }
        built = new LinuxGuest(values);
        return built;
    }

    /** A private copy of the SYSLINUX disk, so a test's boot cannot change the cached one. */
    Path diskCopy(Path dir, String name) throws IOException {
        return Files.copy(disk, dir.resolve(name));
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
