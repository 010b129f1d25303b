package dev.strata.emulator.pci;

import dev.strata.emulator.device.PortDevice;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * PCI configuration mechanism #1, the way a PC reaches configuration space: software writes an address dword to
 * CF8h (bit 31 enable, bits 23:16 bus, 15:11 device, 10:8 function, 7:2 register) and then reads or writes
 * CFCh..CFFh, where port CFCh + n reaches byte n of the addressed dword.
 *
 * <p>The address register only latches a full 32-bit write to CF8h. Byte and word accesses to CF8h..CFBh are not
 * configuration cycles: a byte at CF9h is the PIIX3's reset control register (passed to
 * {@link Piix3ResetControl} when one is connected), and CFBh belonged to mechanism #2; the rest read as all ones
 * and ignore writes. That is why the port bus must call {@link #in(int, int)} and {@link #out(int, int, int)} with
 * the real access size instead of splitting an {@code OUT DX, EAX} into four bytes. The byte-wide
 * {@link PortDevice} methods are the 1-byte case.
 */
@StateClass("dev.strata.emulator.pci.PciConfigPorts")
public final class PciConfigPorts implements PortDevice, IoPortHandler {

    public static final int ADDRESS_PORT = 0xCF8;
    public static final int DATA_PORT = 0xCFC;
    /** The first port this device answers; it answers {@link #PORT_COUNT} ports, CF8h..CFFh. */
    public static final int FIRST_PORT = ADDRESS_PORT;
    public static final int PORT_COUNT = 8;
    private static final int LAST_PORT = FIRST_PORT + PORT_COUNT - 1;

    /** Address bit 31: the next data access is a configuration cycle. */
    public static final int ENABLE = 0x8000_0000;
    /** The address bits that exist: enable, bus, device, function, register (bits 30:24 and 1:0 are reserved). */
    private static final int ADDRESS_BITS = 0x80FF_FFFC;

    @StateField("bus") private final PciBus bus;
    @StateField("resetControl") private Piix3ResetControl resetControl;
    @StateField("address") private int address;

    public PciConfigPorts(PciBus bus) {
        if (bus == null) {
            throw new IllegalArgumentException("configuration ports need a PCI bus");
        }
        this.bus = bus;
    }

    /** Routes byte accesses to CF9h to the PIIX3's reset control register. */
    public void connectResetControl(Piix3ResetControl control) {
        this.resetControl = control;
    }

    /** True for the ports CF8h..CFFh. */
    public static boolean handles(int port) {
        return port >= FIRST_PORT && port <= LAST_PORT;
    }

    /** The last address written to CF8h (reserved bits read as 0). */
    public int address() {
        return address;
    }

    /** Builds the CF8h value for a register of a function on bus 0 (the register is rounded down to its dword). */
    public static int addressOf(int device, int function, int register) {
        return ENABLE | (device & 0x1F) << 11 | (function & 7) << 8 | (register & 0xFC);
    }

    /**
     * An I/O read of {@code size} (1, 2 or 4) bytes at {@code port} (CF8h..CFFh). A read that runs past CFFh
     * (a dword at CFDh) is cut there; the missing bytes read as FFh.
     */
    @Override
    public int in(int port, int size) {
        checkSize(size);
        int all = ones(size);
        if (port == ADDRESS_PORT && size == 4) {
            return address;
        }
        if (port == Piix3ResetControl.PORT && size == 1 && resetControl != null) {
            return resetControl.read();
        }
        if (port < DATA_PORT || port > LAST_PORT || (address & ENABLE) == 0) {
            return all;
        }
        int lane = port - DATA_PORT;
        int inDword = Math.min(size, 4 - lane);
        int value = bus.readConfig(busNumber(), deviceNumber(), functionNumber(), register() + lane, inDword);
        return (value & ones(inDword)) | (all & ~ones(inDword));
    }

    /** An I/O write of the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code port} (CF8h..CFFh). */
    @Override
    public void out(int port, int size, int value) {
        checkSize(size);
        if (port == ADDRESS_PORT && size == 4) {
            address = value & ADDRESS_BITS;
            return;
        }
        if (port == Piix3ResetControl.PORT && size == 1 && resetControl != null) {
            resetControl.write(value & 0xFF);
            return;
        }
        if (port < DATA_PORT || port > LAST_PORT || (address & ENABLE) == 0) {
            return;
        }
        int lane = port - DATA_PORT;
        int inDword = Math.min(size, 4 - lane);
        bus.writeConfig(busNumber(), deviceNumber(), functionNumber(), register() + lane, inDword, value);
    }

    @Override
    public int readPort(int port) {
        return in(port, 1);
    }

    @Override
    public void writePort(int port, int value) {
        out(port, 1, value);
    }

    /** Forgets the latched address, as a machine reset does. */
    public void reset() {
        address = 0;
    }

    private int busNumber() {
        return (address >>> 16) & 0xFF;
    }

    private int deviceNumber() {
        return (address >>> 11) & 0x1F;
    }

    private int functionNumber() {
        return (address >>> 8) & 7;
    }

    private int register() {
        return address & 0xFC;
    }

    private static int ones(int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("I/O access size " + size + " is not 1, 2 or 4 bytes");
        }
    }
}
