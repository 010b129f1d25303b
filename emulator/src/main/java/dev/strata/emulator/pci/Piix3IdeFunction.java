package dev.strata.emulator.pci;

import dev.strata.emulator.state.StateClass;

/**
 * The configuration space of function 1 of the PIIX3 (82371SB) at 01.1, its IDE controller; only the configuration
 * space, not the controller. Programming interface 80h means: both channels in legacy (compatibility) mode, fixed,
 * and bus-master DMA capable. In legacy mode BARs 0..3 are unused (they read 0) and the channels sit at the ISA
 * addresses every PC BIOS and DOS driver knows:
 * <ul>
 *   <li>primary: command block 1F0h..1F7h, control block 3F6h (alternate status / device control), IRQ 14;</li>
 *   <li>secondary: command block 170h..177h, control block 376h, IRQ 15.</li>
 * </ul>
 * BAR4 (BMIBA) is the 16-port bus-master IDE window (primary at +0, secondary at +8). IDETIM (40h, 42h) bit 15
 * enables decoding of each channel's legacy ports; the controller, when it exists, reads it with
 * {@link #channelDecodeEnabled(int)}.
 */
@StateClass("dev.strata.emulator.pci.Piix3IdeFunction")
public final class Piix3IdeFunction extends PciFunction {

    public static final int DEVICE_ID = 0x7010;
    /** Base class 01h mass storage, subclass 01h IDE, programming interface 80h (legacy, bus master). */
    public static final int CLASS_IDE_LEGACY_BUS_MASTER = 0x010180;
    /** The bus-master IDE BAR. */
    public static final int BUS_MASTER_BAR = 4;
    public static final int BUS_MASTER_PORTS = 16;

    /** IDE timing for the primary channel (16 bits); the secondary's is at 42h. */
    public static final int IDETIM_PRIMARY = 0x40;
    public static final int IDETIM_SECONDARY = 0x42;
    /** Slave IDE timing. */
    public static final int SIDETIM = 0x44;
    /** IDETIM bit 15: the channel's legacy ports are decoded. */
    public static final int IDETIM_DECODE_ENABLE = 0x8000;

    public Piix3IdeFunction() {
        super(I440fxHostBridge.VENDOR_INTEL, DEVICE_ID, CLASS_IDE_LEGACY_BUS_MASTER, 0x00);
        defineStatus(PciConfig.STATUS_FAST_BACK_TO_BACK | PciConfig.STATUS_DEVSEL_MEDIUM);
        defineBar(BUS_MASTER_BAR, PciBar.io(BUS_MASTER_PORTS));
        defineRegister(IDETIM_PRIMARY, 2, 0x0000, 0xFFFF);
        defineRegister(IDETIM_SECONDARY, 2, 0x0000, 0xFFFF);
        defineRegister(SIDETIM, 1, 0x00, 0xFF);
        // Interrupt pin stays 0: legacy mode uses ISA IRQ 14 and 15, not a PCI INTx# wire.
    }

    /** True if IDETIM bit 15 enables channel {@code channel} (0 primary, 1 secondary). */
    public boolean channelDecodeEnabled(int channel) {
        if (channel != 0 && channel != 1) {
            throw new IllegalArgumentException("IDE channel " + channel + " is not 0 (primary) or 1 (secondary)");
        }
        int timing = readConfig(channel == 0 ? IDETIM_PRIMARY : IDETIM_SECONDARY, 2);
        return (timing & IDETIM_DECODE_ENABLE) != 0;
    }
}
