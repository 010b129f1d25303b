package dev.strata.emulator.device.vga;

import dev.strata.emulator.pci.PciBar;
import dev.strata.emulator.pci.PciFunction;
import dev.strata.emulator.state.StateClass;

/**
 * The VGA's PCI face, as QEMU's std VGA presents it (1234:1111, class 03h/00h/00h, subsystem 1AF4:1100): BAR0 is
 * the linear frame buffer, a prefetchable memory window over all of {@link LinearVideoMemory}. No interrupt pin,
 * no ROM BAR: Strata's BIOS answers INT 10h itself. The legacy ports and the window at A0000h stay where the ISA
 * VGA has them.
 */
@StateClass("dev.strata.emulator.device.vga.VgaPciFunction")
public final class VgaPciFunction extends PciFunction {

    public static final int VENDOR_ID = 0x1234;
    public static final int DEVICE_ID = 0x1111;
    /** Display controller, VGA compatible. */
    public static final int CLASS_VGA = 0x030000;
    public static final int LFB_BAR = 0;
    public static final int LFB_SIZE = LinearVideoMemory.SIZE;

    public VgaPciFunction() {
        super(VENDOR_ID, DEVICE_ID, CLASS_VGA, 0x02);
        defineRegister(dev.strata.emulator.pci.PciConfig.SUBSYSTEM_VENDOR_ID, 2, 0x1AF4, 0);
        defineRegister(dev.strata.emulator.pci.PciConfig.SUBSYSTEM_ID, 2, 0x1100, 0);
        defineBar(LFB_BAR, PciBar.memory32(LFB_SIZE, true));
    }
}
