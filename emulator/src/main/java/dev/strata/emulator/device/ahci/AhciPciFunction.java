package dev.strata.emulator.device.ahci;

import dev.strata.emulator.pci.I440fxHostBridge;
import dev.strata.emulator.pci.PciBar;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.PciFunction;
import dev.strata.emulator.state.StateClass;

/**
 * The configuration space of an Intel ICH9 6-port SATA controller in AHCI mode (8086:2922): class 01h/06h/01h,
 * the AHCI register window (ABAR) in memory BAR5, INTA#. The port control and status register (92h) holds a port
 * enable bit per port, which Linux's driver sets for Intel controllers.
 *
 * <p>No capability list, so no MSI capability: an MSI is a memory write to a local APIC, which Strata's CPU does not
 * have (CPUID reports none), so no guest would enable it (Linux's ahci falls back to INTx without an APIC) and
 * turning messages into PIC lines would be a path no real machine has. The controller signals on INTA# only.
 */
@StateClass("dev.strata.emulator.device.ahci.AhciPciFunction")
public final class AhciPciFunction extends PciFunction {

    public static final int DEVICE_ID = 0x2922;
    /** Mass storage, SATA, AHCI 1.0 programming interface. */
    public static final int CLASS_AHCI = 0x010601;
    public static final int ABAR = 5;
    /** ICH9's ABAR decodes 2 KiB: the generic registers, 32 port slots of which six are populated. */
    public static final int ABAR_SIZE = 2048;
    public static final int PORT_CONTROL_STATUS = 0x92;

    public AhciPciFunction() {
        super(I440fxHostBridge.VENDOR_INTEL, DEVICE_ID, CLASS_AHCI, 0x02);
        defineStatus(PciConfig.STATUS_FAST_BACK_TO_BACK | PciConfig.STATUS_DEVSEL_MEDIUM);
        defineBar(ABAR, PciBar.memory32(ABAR_SIZE, false));
        defineInterruptPin(1);
        defineRegister(PORT_CONTROL_STATUS, 2, 0x0000, 0x003F);
    }

    /** The controller asks for (or withdraws) its interrupt on INTA#. */
    void interrupt(boolean requested) {
        setInterruptRequest(requested);
    }
}
