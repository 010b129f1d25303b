package dev.strata.emulator.pci;

import static dev.strata.emulator.pci.PciConfig.COMMAND;
import static dev.strata.emulator.pci.PciConfig.SPACE_SIZE;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.memory.MemoryRegion;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;

/**
 * One PCI function and its 256-byte configuration space. Each byte has a power-on value and a mask of the bits
 * software may write; bits outside the mask are read-only, which is how vendor IDs, class codes, BAR type bits and
 * BAR size bits keep their values. Status error bits clear when written with 1.
 *
 * <p>A device extends this class, states its identity in the constructor, declares its BARs, interrupt pin and
 * device-specific registers with the {@code define...} methods, and overrides {@link #configWritten} if it must act
 * when software changes its configuration. What answers in a BAR's window is connected with {@link #connectBar};
 * the {@link PciBarMapper} then maps and unmaps the window as software programs the BAR and the command register.
 */
public abstract class PciFunction implements StateLoadHook {

    /**
     * Command bits a typical function implements: I/O, memory, bus master, SERR#, INTx disable (0507h). Parity
     * error response stays 0: emulated buses have no parity errors. QEMU's functions accept the same bits.
     */
    public static final int DEFAULT_COMMAND_BITS = PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_MEMORY_SPACE
            | PciConfig.COMMAND_BUS_MASTER | PciConfig.COMMAND_SERR | PciConfig.COMMAND_INTERRUPT_DISABLE;

    @StateField("config") private final byte[] config = new byte[SPACE_SIZE];
    @StateField("powerOn") private final byte[] powerOn = new byte[SPACE_SIZE];
    @StateField("writable") private final byte[] writable = new byte[SPACE_SIZE];
    @StateField("writeOneToClear") private final byte[] writeOneToClear = new byte[SPACE_SIZE];
    @StateField("bars") private final PciBar[] bars = new PciBar[PciConfig.BAR_COUNT];
    private transient IrqLine intx = IrqLine.NONE;
    /** Per BAR, the ports ({@link IoPortHandler}) or registers ({@link MemoryRegion}) its window holds. */
    private final transient Object[] barTargets = new Object[PciConfig.BAR_COUNT];
    private final transient String[] barNames = new String[PciConfig.BAR_COUNT];
    private transient Runnable decodeListener = () -> { };
    @StateField("interruptRequested") private boolean interruptRequested;

    /**
     * A function with the given identity. {@code classCode} is the 24-bit base class, subclass and programming
     * interface (for example {@code 0x060000} for a host bridge). The command register accepts
     * {@link #DEFAULT_COMMAND_BITS}; cache line size, latency timer and interrupt line are writable.
     */
    protected PciFunction(int vendorId, int deviceId, int classCode, int revision) {
        checkRange("vendor ID", vendorId, 0xFFFF);
        checkRange("device ID", deviceId, 0xFFFF);
        checkRange("class code", classCode, 0xFF_FFFF);
        checkRange("revision", revision, 0xFF);
        if (vendorId == 0xFFFF) {
            throw new IllegalArgumentException("vendor ID FFFFh means 'no device' to software; use a real one");
        }
        defineRegister(PciConfig.VENDOR_ID, 2, vendorId, 0);
        defineRegister(PciConfig.DEVICE_ID, 2, deviceId, 0);
        defineRegister(PciConfig.REVISION_ID, 1, revision, 0);
        defineRegister(PciConfig.CLASS_CODE, 3, classCode, 0);
        defineRegister(COMMAND, 2, 0, DEFAULT_COMMAND_BITS);
        defineRegister(PciConfig.CACHE_LINE_SIZE, 1, 0, 0xFF);
        defineRegister(PciConfig.LATENCY_TIMER, 1, 0, 0xFF);
        defineRegister(PciConfig.INTERRUPT_LINE, 1, 0x00, 0xFF); // the BIOS writes the routed IRQ here
        writeOneToClear[PciConfig.STATUS + 1] = (byte) (PciConfig.STATUS_WRITE_ONE_TO_CLEAR >>> 8);
    }

    // --- configuration cycles ------------------------------------------------------------------------------

    /**
     * Reads {@code size} (1..4) bytes little-endian at {@code offset}. Bytes past the end of the space read as FFh;
     * callers (the config ports) keep accesses inside one dword, as the hardware does (3 bytes is the part of an
     * unaligned dword at CFDh that falls inside the data window).
     */
    public int readConfig(int offset, int size) {
        checkAccess(offset, size);
        int value = 0;
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            int b = at < SPACE_SIZE ? config[at] & 0xFF : 0xFF;
            value |= b << (8 * i);
        }
        return value;
    }

    /** Writes the low {@code size} (1..4) bytes of {@code value} at {@code offset}, honouring the masks. */
    public void writeConfig(int offset, int size, int value) {
        checkAccess(offset, size);
        int end = Math.min(offset + size, SPACE_SIZE);
        for (int at = offset; at < end; at++) {
            int b = (value >>> (8 * (at - offset))) & 0xFF;
            int mask = writable[at] & 0xFF;
            int old = config[at] & 0xFF;
            int updated = (old & ~mask) | (b & mask);
            updated &= ~(b & writeOneToClear[at] & 0xFF);
            config[at] = (byte) updated;
        }
        if (offset <= COMMAND + 1 && end > COMMAND + 1) {
            driveInterrupt(); // the interrupt disable bit may have changed
        }
        configWritten(offset, end - offset);
        if (offset < PciConfig.bar(PciConfig.BAR_COUNT - 1) + 4 && end > COMMAND) {
            decodeListener.run(); // the command register or a BAR changed: windows may move
        }
    }

    /** Puts the configuration space back to its power-on values (a PCI reset, RST#). */
    public void reset() {
        System.arraycopy(powerOn, 0, config, 0, SPACE_SIZE);
        interruptRequested = false;
        driveInterrupt();
        configWritten(0, SPACE_SIZE);
        decodeListener.run();
    }

    @Override
    public void afterLoad(int savedVersion, StateReader r) {
        decodeListener.run(); // map the windows where the restored BARs point
    }

    // --- BAR windows ----------------------------------------------------------------------------------------

    /**
     * Puts {@code ports} in the window of I/O BAR {@code index}, named {@code name} on the port bus; the handler sees
     * full port numbers and decodes them relative to {@link #barAddress}.
     */
    public final void connectBar(int index, String name, IoPortHandler ports) {
        connect(index, name, PciBar.Kind.IO, ports);
    }

    /**
     * Puts {@code registers} (a region exactly as large as the BAR) in the window of memory BAR {@code index}; the
     * region sees offsets from the BAR's address, wherever software puts it.
     */
    public final void connectBar(int index, MemoryRegion registers) {
        PciBar bar = bars[checkedBar(index)];
        if (bar != null && registers.size() != bar.size()) {
            throw new IllegalArgumentException("memory region '" + registers.name() + "' is " + registers.size()
                    + " bytes but BAR " + index + " decodes " + bar.size() + ": give the region the BAR's size");
        }
        connect(index, registers.name(), PciBar.Kind.MEMORY32, registers);
    }

    private void connect(int index, String name, PciBar.Kind kind, Object target) {
        PciBar bar = bars[checkedBar(index)];
        if (bar == null || bar.kind() != kind) {
            throw new IllegalArgumentException("BAR " + index + " of " + getClass().getSimpleName() + " is "
                    + (bar == null ? "not declared" : "an " + bar.kind() + " BAR") + ": declare it as " + kind
                    + " with defineBar before connecting '" + name + "' to it");
        }
        barTargets[index] = target;
        barNames[index] = name;
        decodeListener.run();
    }

    private static int checkedBar(int index) {
        PciConfig.bar(index); // refuses an index outside 0..5
        return index;
    }

    /** What answers in BAR {@code index}'s window: an {@link IoPortHandler}, a {@link MemoryRegion}, or null. */
    final Object barTarget(int index) {
        return barTargets[index];
    }

    /** The name BAR {@code index}'s window was connected under, or null. */
    final String barName(int index) {
        return barNames[index];
    }

    /** Tells {@code listener} (the BAR mapper) whenever the command register or a BAR may have changed. */
    final void onDecodeChanged(Runnable listener) {
        decodeListener = listener == null ? () -> { } : listener;
    }

    /**
     * Called after software writes {@code length} bytes at {@code offset}, and after {@link #reset()} with the
     * whole space. Override to react (remap a BAR, enable decoding); the default does nothing.
     */
    protected void configWritten(int offset, int length) {
    }

    // --- interrupts ---------------------------------------------------------------------------------------

    /** Connects the function's INTx# pin to its wire (the machine does this with the board's routing). */
    public final void connectInterrupt(IrqLine line) {
        intx.lower();
        intx = line == null ? IrqLine.NONE : line;
        driveInterrupt();
    }

    /**
     * The device asks for (or withdraws) an interrupt on its INTx# pin. The status register shows the request;
     * the wire carries it unless software set the command register's interrupt disable bit.
     */
    protected final void setInterruptRequest(boolean requested) {
        interruptRequested = requested;
        setStatusBits(PciConfig.STATUS_INTERRUPT, requested);
        driveInterrupt();
    }

    private void driveInterrupt() {
        intx.setLevel(interruptRequested && (command() & PciConfig.COMMAND_INTERRUPT_DISABLE) == 0);
    }

    // --- identity and state, for the machine and for device code --------------------------------------------

    public final int vendorId() {
        return readConfig(PciConfig.VENDOR_ID, 2);
    }

    public final int deviceId() {
        return readConfig(PciConfig.DEVICE_ID, 2);
    }

    /** The 24-bit class code: base class, subclass, programming interface. */
    public final int classCode() {
        return readConfig(PciConfig.REVISION_ID, 4) >>> 8;
    }

    public final int command() {
        return readConfig(COMMAND, 2);
    }

    public final boolean ioSpaceEnabled() {
        return (command() & PciConfig.COMMAND_IO_SPACE) != 0;
    }

    public final boolean memorySpaceEnabled() {
        return (command() & PciConfig.COMMAND_MEMORY_SPACE) != 0;
    }

    public final boolean busMasterEnabled() {
        return (command() & PciConfig.COMMAND_BUS_MASTER) != 0;
    }

    public final boolean interruptDisabled() {
        return (command() & PciConfig.COMMAND_INTERRUPT_DISABLE) != 0;
    }

    public final boolean isMultiFunction() {
        return (config[PciConfig.HEADER_TYPE] & PciConfig.HEADER_MULTI_FUNCTION) != 0;
    }

    /** The interrupt line the BIOS wrote (the ISA IRQ it routed the pin to); 0 until it does. */
    public final int interruptLine() {
        return config[PciConfig.INTERRUPT_LINE] & 0xFF;
    }

    /** The interrupt pin: 0 none, 1..4 INTA#..INTD#. */
    public final int interruptPin() {
        return config[PciConfig.INTERRUPT_PIN] & 0xFF;
    }

    /** The shape of BAR {@code index}, or null if the function does not implement it. */
    public final PciBar bar(int index) {
        PciConfig.bar(index);
        return bars[index];
    }

    /** The base address BAR {@code index} holds now, without its type bits (0 for an unimplemented BAR). */
    public final int barAddress(int index) {
        int offset = PciConfig.bar(index); // refuses an index outside 0..5
        PciBar bar = bars[index];
        if (bar == null) {
            return 0;
        }
        return readConfig(offset, 4) & bar.writableMask();
    }

    // --- for subclasses: declaring the configuration space --------------------------------------------------

    /**
     * Declares a register of {@code size} bytes (1..4) at {@code offset}: its power-on value and the bits software
     * may write. Use it for device-specific registers (40h..FFh) and to override header defaults.
     */
    protected final void defineRegister(int offset, int size, int powerOnValue, int writableBits) {
        if (size < 1 || size > 4 || offset < 0 || offset + size > SPACE_SIZE) {
            throw new IllegalArgumentException("register at " + hex(offset) + " of " + size
                    + " bytes is outside the 256-byte configuration space");
        }
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            config[at] = powerOn[at] = (byte) (powerOnValue >>> (8 * i));
            writable[at] = (byte) (writableBits >>> (8 * i));
        }
    }

    /** Sets the command register's power-on value and the command bits this function implements. */
    protected final void defineCommand(int powerOnValue, int implementedBits) {
        defineRegister(COMMAND, 2, powerOnValue, implementedBits);
    }

    /** Sets the read-only status bits this function reports (capability list, DEVSEL timing, ...). */
    protected final void defineStatus(int powerOnValue) {
        defineRegister(PciConfig.STATUS, 2, powerOnValue, 0);
    }

    /**
     * Marks the function as one of several in its device: header type bit 7, read-only. A multi-function chip
     * sets it on function 0; the bus also sets it when a device gets a second function.
     */
    protected final void defineMultiFunction() {
        int at = PciConfig.HEADER_TYPE;
        config[at] |= (byte) PciConfig.HEADER_MULTI_FUNCTION;
        powerOn[at] |= (byte) PciConfig.HEADER_MULTI_FUNCTION;
    }

    /** Declares BAR {@code index} (0..5). The BAR reads its type bits and address 0 until software moves it. */
    protected final void defineBar(int index, PciBar bar) {
        int offset = PciConfig.bar(index);
        if (bar == null) {
            throw new IllegalArgumentException("BAR " + index + " needs a shape; leave it undeclared for none");
        }
        bars[index] = bar;
        defineRegister(offset, 4, bar.typeBits(), bar.writableMask());
    }

    /** Declares the interrupt pin (1..4 for INTA#..INTD#; 0 for none). Read-only to software. */
    protected final void defineInterruptPin(int pin) {
        if (pin < 0 || pin > 4) {
            throw new IllegalArgumentException("interrupt pin " + pin + " is not 0 (none) or 1..4 (INTA#..INTD#)");
        }
        defineRegister(PciConfig.INTERRUPT_PIN, 1, pin, 0);
    }

    /**
     * Sets or clears status bits from the device side, such as {@link PciConfig#STATUS_INTERRUPT} while INTx# is
     * asserted or an error bit software later clears by writing 1.
     */
    protected final void setStatusBits(int bits, boolean on) {
        int status = readConfig(PciConfig.STATUS, 2);
        status = on ? status | bits : status & ~bits;
        config[PciConfig.STATUS] = (byte) status;
        config[PciConfig.STATUS + 1] = (byte) (status >>> 8);
    }

    /** Reads a byte of the configuration space without side effects, for device code. */
    protected final int configByte(int offset) {
        return config[offset] & 0xFF;
    }

    private static void checkAccess(int offset, int size) {
        if (size < 1 || size > 4 || offset < 0 || offset >= SPACE_SIZE) {
            throw new IllegalArgumentException("configuration access of " + size + " bytes at " + hex(offset)
                    + ": size must be 1..4 and the offset 00h..FFh");
        }
    }

    private static void checkRange(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " " + hex(value) + " is out of range 0.." + hex(max));
        }
    }

    static String hex(int value) {
        return Integer.toHexString(value).toUpperCase() + "h";
    }
}
