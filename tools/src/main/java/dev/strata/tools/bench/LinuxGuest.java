package dev.strata.tools.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The Linux guest of {@code guests/linux/build.sh} booted directly from its kernel and initramfs, timed to the
 * kernel's first line on COM1 (until then the kernel decompresses itself: most of the boot's instructions) and to
 * the shell's prompt. Strata runs it in deterministic mode, where the boot takes the same instructions every time.
 */
record LinuxGuest(Path kernel, Path initrd, String append) implements BenchGuest {

    /** The kernel command line the Linux guest's tests boot with: the log on COM1, no crypto self-tests. */
    static final String DEFAULT_APPEND = "console=ttyS0,115200 cryptomgr.notests";
    /** The Linux guest's shell prompt (its init sets it). */
    static final String PROMPT = "strata-linux# ";

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return List.of(new Checkpoint("kernel's first line", "Linux version"), new Checkpoint("shell", PROMPT));
    }

    @Override
    public List<String> strataArguments() {
        return List.of("run", "--headless", "--deterministic", "--memory", "128", "--kernel", kernel.toString(),
                "--initrd", initrd.toString(), "--append", append, "--expect", PROMPT);
    }

    @Override
    public List<String> qemuArguments() {
        return List.of("-accel", "tcg", "-cpu", "pentium2,-apic", "-no-acpi", "-m", "128",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append,
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot");
    }
}
