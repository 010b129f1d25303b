package dev.strata.emulator.pci;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The PIIX3's reset control register, the byte port CF9h inside the configuration port range. Writing bit 2
 * (reset CPU) resets the machine; bit 1 (system reset) chooses a hard reset (1, as at power-on) over a soft one.
 * Linux's {@code reboot=pci} writes 02h then 06h.
 */
@StateClass("dev.strata.emulator.pci.Piix3ResetControl")
public final class Piix3ResetControl {

    public static final int PORT = 0xCF9;
    /** Bit 1: the next reset is a hard (system) reset. */
    public static final int SYSTEM_RESET = 0x02;
    /** Bit 2: reset now. */
    public static final int RESET_CPU = 0x04;

    private final transient Runnable resetRequest;
    @StateField("value") private int value;

    /** A register that calls {@code resetRequest} (the machine's reset) when software asks for a reset. */
    public Piix3ResetControl(Runnable resetRequest) {
        if (resetRequest == null) {
            throw new IllegalArgumentException("the reset control register needs the machine's reset action");
        }
        this.resetRequest = resetRequest;
    }

    /** The register as software reads it: the system reset bit as last written. */
    public int read() {
        return value;
    }

    /** A byte write: stores the system reset bit; bit 2 requests the reset. */
    public void write(int data) {
        value = data & SYSTEM_RESET;
        if ((data & RESET_CPU) != 0) {
            resetRequest.run();
        }
    }

    /** True if the last write asked for a hard reset rather than a CPU-only (soft) one. */
    public boolean hardResetSelected() {
        return (value & SYSTEM_RESET) != 0;
    }

    /** Clears the register, as a hard reset does. */
    public void reset() {
        value = 0;
    }
}
