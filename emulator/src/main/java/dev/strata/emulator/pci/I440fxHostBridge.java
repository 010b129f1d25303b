package dev.strata.emulator.pci;

import dev.strata.emulator.state.StateClass;

/**
 * The Intel 82441FX (440FX PMC) host bridge at 00.0: the CPU's door to PCI. Its configuration space carries the
 * registers a BIOS programs for memory: PAM (shadow RAM attributes for C0000h..FFFFFh), DRB (DRAM row boundaries)
 * and SMRAM. They are stored here; the memory map acts on {@link #pam(int)} when it models shadowing.
 */
@StateClass("dev.strata.emulator.pci.I440fxHostBridge")
public final class I440fxHostBridge extends PciFunction {

    public static final int VENDOR_INTEL = 0x8086;
    public static final int DEVICE_ID = 0x1237;
    /** Base class 06h bridge, subclass 00h host bridge. */
    public static final int CLASS_HOST_BRIDGE = 0x060000;

    /** PMC configuration, 16 bits. */
    public static final int PMCCFG = 0x50;
    /** PAM0..PAM6: two 4-bit read/write-enable fields each; PAM0 covers only F0000h..FFFFFh in its high half. */
    public static final int PAM0 = 0x59;
    public static final int PAM_COUNT = 7;
    /** DRB0..DRB7: cumulative DRAM row boundaries in 8 MB units. */
    public static final int DRB0 = 0x60;
    public static final int DRB_COUNT = 8;
    /** System management RAM control; bits 2:0 read 010b (the SMRAM segment at A0000h). */
    public static final int SMRAM = 0x72;

    public I440fxHostBridge() {
        super(VENDOR_INTEL, DEVICE_ID, CLASS_HOST_BRIDGE, 0x02);
        // Command and status as QEMU's 440FX shows them (our reference): command writable with the usual bits,
        // status 0. Strata does not gate CPU memory cycles on the command register.
        defineRegister(PMCCFG, 2, 0x0000, 0xFFFF);
        defineRegister(PAM0, 1, 0x00, 0x30);
        for (int i = 1; i < PAM_COUNT; i++) {
            defineRegister(PAM0 + i, 1, 0x00, 0x33);
        }
        for (int i = 0; i < DRB_COUNT; i++) {
            defineRegister(DRB0 + i, 1, 0x01, 0xFF);
        }
        defineRegister(SMRAM, 1, 0x02, 0x78);
    }

    /** PAM register {@code index} (0..6) as the BIOS last wrote it. */
    public int pam(int index) {
        if (index < 0 || index >= PAM_COUNT) {
            throw new IllegalArgumentException("PAM index " + index + " is not 0..6");
        }
        return configByte(PAM0 + index);
    }
}
