package dev.strata.tools.run;

import dev.strata.emulator.machine.Firmware;

/**
 * The firmware {@code strata run} uses without {@code --bios}: Strata's own BIOS from module {@code bios}. This is
 * the one place to point at it: when {@code dev.strata.bios.StrataBios} lands, make {@link #create()} return
 * {@code new StrataBios()} (or its factory).
 */
final class DefaultFirmware {

    private DefaultFirmware() {
    }

    /** Strata's BIOS; until it is built into this version, a clear error that names the way round. */
    static Firmware create() {
        throw new IllegalStateException("Strata's own BIOS is not part of this build yet; give a BIOS image with"
                + " --bios FILE (64, 128 or 256 KiB)");
    }
}
