package dev.strata.tools.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The Linux guest of {@code guests/linux/build.sh} booted directly from its kernel and initramfs, timed to the
 * kernel's first line on COM1 and to the shell's prompt. Strata runs it in deterministic mode, where the boot takes
 * the same instructions every time. In the {@code linux} workload the kernel unpacks itself on both emulators, as
 * QEMU's -kernel has it do (until its first line: most of the boot's instructions), so the two emulate the same
 * guest code; in {@code linux-unpacked} Strata unpacks it before the boot (its default) and QEMU still runs the
 * kernel's decompressor: what a user of each gets from the same files, not the same work.
 */
record LinuxGuest(Path kernel, Path initrd, String append, boolean unpacked) implements BenchGuest {

    /** The kernel command line the Linux guest's tests boot with: the log on COM1, no crypto self-tests. */
    static final String DEFAULT_APPEND = "console=ttyS0,115200 cryptomgr.notests";
    /** The Linux guest's shell prompt (its init sets it). */
    static final String PROMPT = "strata-linux# ";

    @Override
    public String name() {
        return unpacked ? "linux-unpacked" : "linux";
    }

    @Override
    public String note() {
        return unpacked ? "Strata unpacks the kernel before the boot; QEMU runs the kernel's decompressor" : "";
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return List.of(new Checkpoint("kernel's first line", "Linux version"), new Checkpoint("shell", PROMPT));
    }

    @Override
    public List<String> strataArguments() {
        return List.of("run", "--headless", "--deterministic", "--memory", "128", "--kernel", kernel.toString(),
                "--initrd", initrd.toString(), "--append", append, "--kernel-unpack", unpacked ? "strata" : "guest",
                "--expect", PROMPT);
    }

    @Override
    public List<String> qemuArguments() {
        return List.of("-accel", "tcg", "-cpu", "pentium2,-apic", "-no-acpi", "-m", "128",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append,
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot");
    }
}
