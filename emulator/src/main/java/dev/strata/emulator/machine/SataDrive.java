package dev.strata.emulator.machine;

import java.nio.file.Path;

/**
 * What sits on one SATA port of the machine's AHCI controller: a hard disk image (opened through its chain like an
 * IDE disk, read-only for a readonly medium) or a CD/DVD image (always read-only).
 */
public record SataDrive(Path image, boolean dvd, boolean readOnly) {

    public SataDrive {
        if (image == null) {
            throw new IllegalArgumentException("a SATA drive needs an image; leave the port empty for none");
        }
    }

    /** A hard disk over {@code image}; {@code readOnly} for a readonly medium (the guest gets write errors). */
    public static SataDrive hardDisk(Path image, boolean readOnly) {
        return new SataDrive(image, false, readOnly);
    }

    /** A CD/DVD drive holding {@code iso}. */
    public static SataDrive dvd(Path iso) {
        return new SataDrive(iso, true, true);
    }
}
