package dev.strata.emulator.pci;

import dev.strata.emulator.state.StateClass;

/**
 * Function 0 of the Intel 82371SB (PIIX3) at 01.0: the PCI-to-ISA bridge behind which the PC's legacy devices
 * (PIC, PIT, keyboard controller, RTC, DMA) live. Its PIRQ route control registers (60h..63h) say which ISA IRQ each
 * of the board's PCI interrupt wires PIRQA#..PIRQD# drives; the BIOS programs them and Linux's IRQ router reads and
 * writes them. The other registers are stored with their power-on values, for a BIOS that programs them.
 */
@StateClass("dev.strata.emulator.pci.Piix3IsaBridge")
public final class Piix3IsaBridge extends PciFunction {

    public static final int DEVICE_ID = 0x7000;
    /** Base class 06h bridge, subclass 01h ISA bridge. */
    public static final int CLASS_ISA_BRIDGE = 0x060100;

    /** PIRQ route control for PIRQA# (PIRQB#..PIRQD# follow). */
    public static final int PIRQRC = 0x60;
    public static final int PIRQ_COUNT = 4;
    /** PIRQRC bit 7: the PIRQ is not routed to any ISA IRQ. */
    public static final int PIRQ_DISABLED = 0x80;
    /** PIRQRC bits 3:0: the ISA IRQ. */
    public static final int PIRQ_IRQ_MASK = 0x0F;

    /** ISA IRQs a PIRQ may drive: 3..7, 9..12, 14, 15 (0, 1, 2, 8 and 13 are reserved). */
    private static final int ROUTABLE_IRQS = 0b1101_1110_1111_1000;

    private transient Runnable pirqListener = () -> { };

    public Piix3IsaBridge() {
        super(I440fxHostBridge.VENDOR_INTEL, DEVICE_ID, CLASS_ISA_BRIDGE, 0x00);
        // I/O, memory and bus master on at reset (the bridge forwards ISA cycles and masters ISA DMA).
        defineCommand(PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER,
                DEFAULT_COMMAND_BITS);
        defineStatus(PciConfig.STATUS_DEVSEL_MEDIUM);
        defineMultiFunction(); // the chip always has its IDE function at 01.1

        defineRegister(0x4C, 1, 0x4D, 0xFF);   // IORT: ISA I/O recovery timer
        defineRegister(0x4E, 2, 0x0003, 0xFFFF); // XBCS: X-bus chip selects (RTC, keyboard controller enabled)
        for (int i = 0; i < PIRQ_COUNT; i++) {
            defineRegister(PIRQRC + i, 1, PIRQ_DISABLED, PIRQ_DISABLED | PIRQ_IRQ_MASK);
        }
        defineRegister(0x69, 1, 0x02, 0xFF);   // TOM: top of memory for ISA/DMA forwarding
        defineRegister(0x6A, 2, 0x0000, 0xFFFF); // MSTAT: miscellaneous status
        defineRegister(0x70, 1, 0x80, 0xFF);   // MBIRQ0: motherboard device IRQ route, disabled
        defineRegister(0x76, 2, 0x0C0C, 0xFFFF); // MBDMA0/1: motherboard DMA, disabled
        defineRegister(0x78, 2, 0x0002, 0xFFFF); // PCSC: programmable chip select
        defineRegister(0x80, 1, 0x00, 0xFF);   // APICBASE
        defineRegister(0x82, 1, 0x00, 0xFF);   // DLC: deterministic latency control
        defineRegister(0xA0, 1, 0x08, 0xFF);   // SMICNTL
        defineRegister(0xA2, 2, 0x0000, 0xFFFF); // SMIEN
        defineRegister(0xA4, 4, 0x0000_0000, 0xFFFF_FFFF); // SEE: system event enable
        defineRegister(0xA8, 1, 0x0F, 0xFF);   // FTMR: fast-off timer
        defineRegister(0xAA, 2, 0x0000, 0xFFFF); // SMIREQ
        defineRegister(0xAC, 1, 0x00, 0xFF);   // CTLTMR
        defineRegister(0xAE, 1, 0x00, 0xFF);   // CTLTMRH
    }

    /** Tells {@code listener} (the interrupt router) whenever software writes a PIRQ route control register. */
    public void onPirqRoutingChanged(Runnable listener) {
        pirqListener = listener == null ? () -> { } : listener;
    }

    @Override
    protected void configWritten(int offset, int length) {
        if (offset < PIRQRC + PIRQ_COUNT && offset + length > PIRQRC) {
            pirqListener.run();
        }
    }

    /** The raw PIRQ route control byte for PIRQ {@code pirq} (0..3 for A..D). */
    public int pirqRouteControl(int pirq) {
        checkPirq(pirq);
        return configByte(PIRQRC + pirq);
    }

    /** The ISA IRQ PIRQ {@code pirq} (0..3) drives, or -1 if routing is disabled or names a reserved IRQ. */
    public int pirqIrq(int pirq) {
        int control = pirqRouteControl(pirq);
        if ((control & PIRQ_DISABLED) != 0) {
            return -1;
        }
        int irq = control & PIRQ_IRQ_MASK;
        return (ROUTABLE_IRQS >>> irq & 1) != 0 ? irq : -1;
    }

    private static void checkPirq(int pirq) {
        if (pirq < 0 || pirq >= PIRQ_COUNT) {
            throw new IllegalArgumentException("PIRQ " + pirq + " is not 0..3 (PIRQA#..PIRQD#)");
        }
    }
}
