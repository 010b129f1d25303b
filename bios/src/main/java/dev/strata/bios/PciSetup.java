package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.pci.I440fxHostBridge;
import dev.strata.emulator.pci.I440fxPciSystem;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.PciConfigPorts;
import dev.strata.emulator.pci.Piix3IdeFunction;
import dev.strata.emulator.pci.Piix3IsaBridge;

/**
 * The POST step that sets up the PCI bus through configuration mechanism #1 (CF8h/CFCh), as a PC BIOS does: it
 * sizes every BAR of every function on bus 0 by writing all ones and reading back which address bits stuck, gives
 * each an address (I/O windows from {@link #IO_BASE} up, memory windows from {@link #MEMORY_BASE} up, prefetchable
 * ones from {@link #PREFETCHABLE_BASE} up, each aligned to its size) and turns on the function's I/O or memory
 * decoding. The PIIX3 IDE function also gets the decode of both legacy channels in IDETIM (40h, 42h bit 15) and bus
 * mastering. Operating systems take the chipset as the BIOS left it: Linux's ata_piix treats a channel whose IDETIM
 * decode bit is clear as disabled and never probes it.
 */
final class PciSetup {

    /** The first I/O address handed out, above the ISA range (where SeaBIOS starts too). */
    static final int IO_BASE = 0xC000;
    /** Where the IDE function's bus-master window (BAR4) lands: it is the first I/O BAR on the bus. */
    static final int BUS_MASTER_BASE = IO_BASE;
    private static final int IO_LIMIT = 0x10000;
    /** The memory window for BARs: 1 MiB below the I/O APIC's address, far above any RAM Strata gives a guest. */
    static final long MEMORY_BASE = 0xFEB00000L;
    private static final long MEMORY_LIMIT = 0xFEC00000L;
    /**
     * Prefetchable memory windows (frame buffers, too large for the window above) go from here up to
     * {@link #MEMORY_BASE}: the VGA's 16 MiB linear frame buffer lands at FD000000h, where QEMU's BIOS put it.
     */
    static final long PREFETCHABLE_BASE = 0xFD000000L;

    /**
     * The ISA IRQ each PIRQ wire (PIRQA#..PIRQD#) is steered to once a function on the bus uses an interrupt pin,
     * as SeaBIOS does on this board.
     */
    static final int[] PIRQ_IRQS = {10, 10, 11, 11};
    private static final int ELCR_HIGH_PORT = 0x4D1;

    private final IoBus io;
    private int levelIrqs;
    private int nextIo = IO_BASE;
    private long nextMemory = MEMORY_BASE;
    private long nextPrefetchable = PREFETCHABLE_BASE;

    PciSetup(IoBus io) {
        this.io = io;
    }

    /** Sets up every function on bus 0; a machine without PCI reads FFFFFFFFh everywhere and is left alone. */
    void run() {
        for (int device = 0; device < 32; device++) {
            int functions = 1;
            for (int function = 0; function < functions; function++) {
                int id = read(device, function, PciConfig.VENDOR_ID);
                if ((id & 0xFFFF) == 0xFFFF) {
                    continue;
                }
                if (function == 0 && (read(device, function, PciConfig.HEADER_TYPE & 0xFC) >>> 16
                        & PciConfig.HEADER_MULTI_FUNCTION) != 0) {
                    functions = 8;
                }
                setUp(device, function, id);
            }
        }
        if (levelIrqs != 0) {
            routePirqs();
        }
    }

    /**
     * Steers the PIRQ wires to their ISA IRQs in the PIIX3 and makes those IRQs level-triggered in the ELCR, as PCI
     * interrupts are. Only done when some function uses a pin, so a machine without such cards keeps its POST.
     */
    private void routePirqs() {
        int routes = 0;
        for (int pirq = 0; pirq < PIRQ_IRQS.length; pirq++) {
            routes |= PIRQ_IRQS[pirq] << (8 * pirq);
        }
        write(I440fxPciSystem.PIIX3_DEVICE, I440fxPciSystem.PIIX3_ISA_FUNCTION, Piix3IsaBridge.PIRQRC, routes);
        int elcr = io.in(ELCR_HIGH_PORT, 1);
        io.out(ELCR_HIGH_PORT, 1, elcr | levelIrqs >>> 8);
    }

    /** Writes the IRQ a function's interrupt pin reaches into its interrupt line register, as drivers read it. */
    private void routeInterrupt(int device, int function) {
        int register = read(device, function, PciConfig.INTERRUPT_LINE);
        int pin = register >>> 8 & 0xFF;
        if (pin < 1 || pin > 4) {
            return;
        }
        int irq = PIRQ_IRQS[I440fxPciSystem.pirqOf(device, pin)];
        levelIrqs |= 1 << irq;
        write(device, function, PciConfig.INTERRUPT_LINE, (register & ~0xFF) | irq);
    }

    private void setUp(int device, int function, int id) {
        routeInterrupt(device, function);
        int enable = 0;
        for (int bar = 0; bar < PciConfig.BAR_COUNT; bar++) {
            enable |= assign(device, function, PciConfig.bar(bar));
        }
        boolean ide = (id & 0xFFFF) == I440fxHostBridge.VENDOR_INTEL && id >>> 16 == Piix3IdeFunction.DEVICE_ID;
        if (ide) {
            int bothChannels = Piix3IdeFunction.IDETIM_DECODE_ENABLE | Piix3IdeFunction.IDETIM_DECODE_ENABLE << 16;
            write(device, function, Piix3IdeFunction.IDETIM_PRIMARY, bothChannels);
            enable |= PciConfig.COMMAND_BUS_MASTER;
        }
        if (enable != 0) {
            int command = read(device, function, PciConfig.COMMAND) & 0xFFFF;
            write(device, function, PciConfig.COMMAND, command | enable);
        }
    }

    /**
     * Sizes the BAR at {@code register} and gives it the next free address of its kind; returns the command bit that
     * turns its decoding on, or 0 when the function does not implement the BAR or no room is left for it.
     */
    private int assign(int device, int function, int register) {
        int original = read(device, function, register);
        write(device, function, register, 0xFFFFFFFF);
        int probe = read(device, function, register);
        boolean isIo = (probe & 1) != 0;
        long size = isIo ? (~(probe & ~0x3) & 0xFFFF) + 1L : (~(probe & ~0xF) & 0xFFFFFFFFL) + 1;
        if (probe == 0 || (!isIo && (probe & 0x6) != 0)) {
            write(device, function, register, original); // not implemented, or a 64-bit BAR Strata has none of
            return 0;
        }
        if (isIo) {
            long at = align(nextIo, size);
            if (at + size > IO_LIMIT) {
                write(device, function, register, original);
                return 0;
            }
            nextIo = (int) (at + size);
            write(device, function, register, (int) at);
            return PciConfig.COMMAND_IO_SPACE;
        }
        boolean prefetchable = (probe & 0x8) != 0;
        long at = align(prefetchable ? nextPrefetchable : nextMemory, size);
        if (at + size > (prefetchable ? MEMORY_BASE : MEMORY_LIMIT)) {
            write(device, function, register, original);
            return 0;
        }
        if (prefetchable) {
            nextPrefetchable = at + size;
        } else {
            nextMemory = at + size;
        }
        write(device, function, register, (int) at);
        return PciConfig.COMMAND_MEMORY_SPACE;
    }

    private static long align(long address, long size) {
        return (address + size - 1) & -size;
    }

    private int read(int device, int function, int register) {
        io.out(PciConfigPorts.ADDRESS_PORT, 4, address(device, function, register));
        return io.in(PciConfigPorts.DATA_PORT, 4);
    }

    /** Writes the whole dword at {@code register}; for the command register that leaves the status bits alone. */
    private void write(int device, int function, int register, int value) {
        io.out(PciConfigPorts.ADDRESS_PORT, 4, address(device, function, register));
        io.out(PciConfigPorts.DATA_PORT, 4, value);
    }

    private static int address(int device, int function, int register) {
        return PciConfigPorts.ENABLE | device << 11 | function << 8 | register & 0xFC;
    }
}
