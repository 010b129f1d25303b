package dev.strata.emulator.pci;

/** Offsets and bits of the standard (type 0) PCI configuration header, named as the PCI specification names them. */
public final class PciConfig {
    private PciConfig() {
    }

    /** The size of one function's configuration space. */
    public static final int SPACE_SIZE = 256;

    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    /** Programming interface, subclass and base class: three bytes from 09h. */
    public static final int CLASS_CODE = 0x09;
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int LATENCY_TIMER = 0x0D;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BIST = 0x0F;
    public static final int BAR0 = 0x10;
    public static final int BAR_COUNT = 6;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C;
    public static final int SUBSYSTEM_ID = 0x2E;
    public static final int EXPANSION_ROM = 0x30;
    public static final int CAPABILITIES = 0x34;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;

    public static final int COMMAND_IO_SPACE = 1 << 0;
    public static final int COMMAND_MEMORY_SPACE = 1 << 1;
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    public static final int COMMAND_SPECIAL_CYCLES = 1 << 3;
    public static final int COMMAND_MEMORY_WRITE_INVALIDATE = 1 << 4;
    public static final int COMMAND_VGA_PALETTE_SNOOP = 1 << 5;
    public static final int COMMAND_PARITY_ERROR_RESPONSE = 1 << 6;
    public static final int COMMAND_SERR = 1 << 8;
    public static final int COMMAND_FAST_BACK_TO_BACK = 1 << 9;
    public static final int COMMAND_INTERRUPT_DISABLE = 1 << 10;

    public static final int STATUS_INTERRUPT = 1 << 3;
    public static final int STATUS_CAPABILITIES = 1 << 4;
    public static final int STATUS_FAST_BACK_TO_BACK = 1 << 7;
    public static final int STATUS_DEVSEL_MEDIUM = 1 << 9;
    /** The error bits software clears by writing 1: parity, target/master aborts, SERR#, detected parity. */
    public static final int STATUS_WRITE_ONE_TO_CLEAR = 0xF900;

    /** Header type bit 7: the device has functions 1..7 besides function 0. */
    public static final int HEADER_MULTI_FUNCTION = 0x80;

    /** The value a read returns when no function answers (master abort). */
    public static final int NO_DEVICE = 0xFFFFFFFF;

    /** Offset of BAR {@code index} (0..5). */
    public static int bar(int index) {
        if (index < 0 || index >= BAR_COUNT) {
            throw new IllegalArgumentException("BAR index " + index + " is not 0..5");
        }
        return BAR0 + 4 * index;
    }
}
