package dev.strata.emulator.device.uart;

/** The PC's standard serial port addresses and interrupt lines. */
public enum ComPort {
    COM1(0x3F8, 4),
    COM2(0x2F8, 3),
    COM3(0x3E8, 4),
    COM4(0x2E8, 3);

    private final int base;
    private final int irq;

    ComPort(int base, int irq) {
        this.base = base;
        this.irq = irq;
    }

    /** First of the port's eight I/O ports. */
    public int base() {
        return base;
    }

    public int irq() {
        return irq;
    }
}
