package dev.strata.emulator.machine;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import java.util.List;
import dev.strata.emulator.cpu.fpu.Fpu;
import dev.strata.emulator.device.PortDevice;

/**
 * Port F0h of the PC chipset: a write acknowledges the x87 error interrupt (IRQ 13, from FERR#) and asserts
 * IGNNE# so the interrupted handler's own FPU instructions can run.
 */
final class FpuErrorPort implements PortDevice, Device {

    static final int PORT = 0xF0;

    private final Fpu fpu;

    FpuErrorPort(Fpu fpu) {
        this.fpu = fpu;
    }

    @Override
    public int readPort(int port) {
        return 0xFF;
    }

    @Override
    public void writePort(int port, int value) {
        fpu.clearBusy();
    }

    @Override
    public String name() {
        return "fpu-error";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), PORT, 1));
    }
}
