package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.pic.DualPic;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.MemoryRegion;
import dev.strata.emulator.memory.MmioHandler;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.I440fxPciSystem;
import dev.strata.emulator.pci.PciBar;
import dev.strata.emulator.pci.PciBarMapper;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.PciFunction;
import dev.strata.emulator.pci.Piix3IdeFunction;
import org.junit.jupiter.api.Test;

/** The POST's PCI step sizes every BAR by the all-ones probe and places it, as the guest's drivers expect. */
class PciSetupTest {

    /** A card with an 8 KiB register BAR (BAR5, where AHCI keeps its ABAR) and 32 I/O ports in BAR0. */
    static final class Card extends PciFunction {
        int lastWrite;

        Card() {
            super(0x8086, 0x2922, 0x010601, 2);
            defineBar(0, PciBar.io(32));
            defineBar(5, PciBar.memory32(0x2000, false));
            connectBar(5, MemoryRegion.mmio("card.registers", 0x2000, MemoryRegion.DWORD, new MmioHandler() {
                @Override
                public int read(int offset, int size) {
                    return 0x00010300; // a version register
                }

                @Override
                public void write(int offset, int size, int value) {
                    lastWrite = value;
                }
            }));
        }
    }

    @Test
    void everyBarGetsAnAlignedAddressOfItsKindAndItsDecodingTurnedOn() {
        IoBus io = new IoBus();
        PhysicalMemory memory = new PhysicalMemory(1 << 20);
        I440fxPciSystem pci = new I440fxPciSystem();
        Card card = new Card();
        pci.bus().register(5, 0, card);
        pci.ioPorts().forEach(io::register);
        new PciBarMapper(io, memory.map()).connectAll(pci.bus());

        new PciSetup(io).run();

        Piix3IdeFunction ide = pci.ide();
        assertEquals(PciSetup.BUS_MASTER_BASE, ide.barAddress(Piix3IdeFunction.BUS_MASTER_BAR), "first I/O BAR");
        assertEquals(0xC020, card.barAddress(0), "after the IDE's 16 ports, aligned to 32");
        assertEquals((int) PciSetup.MEMORY_BASE, card.barAddress(5));
        assertTrue(card.memorySpaceEnabled() && card.ioSpaceEnabled());
        assertEquals(PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_BUS_MASTER, ide.command());
        assertEquals(0x00010300, memory.read32((int) PciSetup.MEMORY_BASE + 0x10), "the card answers at its BAR");
        memory.write32((int) PciSetup.MEMORY_BASE + 4, 0x80000000);
        assertEquals(0x80000000, card.lastWrite);
    }

    /** A card with nothing but an interrupt pin. */
    static final class InterruptCard extends PciFunction {
        InterruptCard(int pin) {
            super(0x1234, 0x0001, 0xFF0000, 0);
            defineInterruptPin(pin);
        }
    }

    @Test
    void interruptPinsAreRoutedThroughThePirqsAndTheirIrqsMadeLevelTriggered() {
        IoBus io = new IoBus();
        DualPic pic = new DualPic();
        pic.ioPorts().forEach(io::register);
        I440fxPciSystem pci = new I440fxPciSystem();
        InterruptCard slot2 = new InterruptCard(1);
        InterruptCard slot4 = new InterruptCard(4);
        pci.bus().register(2, 0, slot2);
        pci.bus().register(4, 0, slot4);
        pci.ioPorts().forEach(io::register);

        new PciSetup(io).run();

        assertEquals(PciSetup.PIRQ_IRQS[1], slot2.interruptLine(), "slot 2 INTA# is PIRQB#");
        assertEquals(PciSetup.PIRQ_IRQS[2], slot4.interruptLine(), "slot 4 INTD# is PIRQC#");
        for (int pirq = 0; pirq < 4; pirq++) {
            assertEquals(PciSetup.PIRQ_IRQS[pirq], pci.isaBridge().pirqIrq(pirq));
        }
        assertEquals(0x0C, io.in(0x4D1, 1), "IRQ 10 and 11 level-triggered");
        assertEquals(0, pci.ide().interruptLine(), "the legacy IDE function has no pin");
    }

    @Test
    void aBusWithoutInterruptPinsLeavesThePirqsAlone() {
        IoBus io = new IoBus();
        I440fxPciSystem pci = new I440fxPciSystem();
        pci.ioPorts().forEach(io::register);
        new PciSetup(io).run();
        assertEquals(-1, pci.isaBridge().pirqIrq(0));
    }
}
