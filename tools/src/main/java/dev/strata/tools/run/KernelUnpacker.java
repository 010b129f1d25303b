package dev.strata.tools.run;

/** Who unpacks a compressed Linux kernel booted directly (the --kernel-unpack option of run and vm create). */
public enum KernelUnpacker {
    /** Strata, before the boot: the kernel starts at its 32-bit entry. */
    strata,
    /** The kernel's own decompressor, in the guest, as on a PC. */
    guest;

    /** The option's help text, the same for each command that takes it. */
    public static final String HELP = "who unpacks the compressed kernel of --kernel: strata (before the boot, for"
            + " gzip, xz and lzma kernels; the kernel then starts at its 32-bit entry, without billions of"
            + " instructions of decompression) or guest (the kernel's own decompressor runs, as on a PC); default"
            + " strata";
}
