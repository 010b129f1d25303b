package dev.strata.emulator.machine;

import dev.strata.emulator.device.PortDevice;

/**
 * The chipset's reset control register at CF9h: writing with bit 2 set resets the system (bit 1 chooses a hard
 * reset, which Strata treats the same way). The other bits read back as written.
 */
final class ResetControlPort implements PortDevice {

    static final int PORT = 0xCF9;
    private static final int RESET_CPU = 0x04;

    private final Runnable reset;
    private int value;

    ResetControlPort(Runnable reset) {
        this.reset = reset;
    }

    @Override
    public int readPort(int port) {
        return port == PORT ? value & ~RESET_CPU : 0xFF;
    }

    @Override
    public void writePort(int port, int v) {
        if (port != PORT) {
            return;
        }
        value = v & 0xFF;
        if ((value & RESET_CPU) != 0) {
            value &= ~RESET_CPU;
            reset.run();
        }
    }
}
