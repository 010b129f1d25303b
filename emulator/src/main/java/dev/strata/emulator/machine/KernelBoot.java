package dev.strata.emulator.machine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Linux kernel to boot directly instead of a boot sector (as QEMU's {@code -kernel -initrd -append}): the bzImage,
 * an optional initial RAM disk and the kernel command line. The firmware loads them at boot time.
 *
 * @param kernel the bzImage file
 * @param initrd the initrd (or initramfs) file, or null for none
 * @param cmdline the kernel command line, "" for none
 * @param unpack true when the firmware unpacks a compressed kernel itself and starts it at its 32-bit entry; false
 *     when the kernel's own decompressor runs in the guest, as on a PC
 */
public record KernelBoot(Path kernel, Path initrd, String cmdline, boolean unpack) {

    public KernelBoot {
        Objects.requireNonNull(kernel, "kernel");
        cmdline = cmdline == null ? "" : cmdline;
    }

    /** A kernel the firmware unpacks (the default). */
    public KernelBoot(Path kernel, Path initrd, String cmdline) {
        this(kernel, initrd, cmdline, true);
    }
}
