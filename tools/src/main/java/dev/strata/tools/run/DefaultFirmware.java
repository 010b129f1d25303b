package dev.strata.tools.run;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.machine.Firmware;

/** The firmware {@code strata run} uses without {@code --bios}: Strata's own BIOS from module {@code bios}. */
public final class DefaultFirmware {

    private DefaultFirmware() {
    }

    public static Firmware create() {
        return new StrataBios();
    }
}
