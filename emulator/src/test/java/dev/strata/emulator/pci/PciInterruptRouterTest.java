package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.IrqLine;
import org.junit.jupiter.api.Test;

/** PCI INTx# pins through the PIIX3's PIRQ routing to ISA IRQ lines. */
class PciInterruptRouterTest {

    /** A card that can raise INTA# on demand. */
    static final class InterruptingCard extends PciFunction {
        InterruptingCard() {
            super(0x1234, 0x0001, 0xFF0000, 0);
            defineInterruptPin(1);
        }

        void request(boolean on) {
            setInterruptRequest(on);
        }
    }

    private final boolean[] irqLevel = new boolean[16];
    private final int[] irqChanges = new int[16];
    private final I440fxPciSystem pci = new I440fxPciSystem();
    private final PciInterruptRouter router = new PciInterruptRouter(pci.isaBridge(), irq -> new IrqLine() {
        @Override
        public void setLevel(boolean high) {
            irqLevel[irq] = high;
            irqChanges[irq]++;
        }
    });
    private final InterruptingCard slot2 = new InterruptingCard(); // INTA# -> PIRQB#
    private final InterruptingCard slot6 = new InterruptingCard(); // INTA# -> PIRQB# too

    PciInterruptRouterTest() {
        pci.bus().register(2, 0, slot2);
        pci.bus().register(6, 0, slot6);
        router.connectAll(pci.bus());
    }

    @Test
    void unroutedPirqDrivesNoIrq() {
        slot2.request(true);
        assertTrue(router.isPirqActive(1));
        assertEquals(0, java.util.Arrays.stream(irqChanges).sum());
    }

    @Test
    void routedPirqFollowsTheCardAndShowsInStatus() {
        pci.isaBridge().writeConfig(0x61, 1, 11);
        slot2.request(true);
        assertTrue(irqLevel[11]);
        assertEquals(PciConfig.STATUS_INTERRUPT, slot2.readConfig(PciConfig.STATUS, 2) & PciConfig.STATUS_INTERRUPT);
        slot2.request(false);
        assertFalse(irqLevel[11]);
        assertEquals(0, slot2.readConfig(PciConfig.STATUS, 2) & PciConfig.STATUS_INTERRUPT);
    }

    @Test
    void sharedPirqStaysActiveUntilEveryCardLetsGo() {
        pci.isaBridge().writeConfig(0x61, 1, 10);
        slot2.request(true);
        slot6.request(true);
        slot2.request(false);
        assertTrue(irqLevel[10]);
        slot6.request(false);
        assertFalse(irqLevel[10]);
        assertEquals(2, irqChanges[10]);
    }

    @Test
    void reroutingMovesAnActiveInterrupt() {
        slot2.request(true);
        pci.isaBridge().writeConfig(0x61, 1, 9);
        assertTrue(irqLevel[9]);
        pci.isaBridge().writeConfig(0x60, 4, 0x8080_0580); // PIRQB# -> IRQ 5
        assertFalse(irqLevel[9]);
        assertTrue(irqLevel[5]);
        pci.isaBridge().writeConfig(0x61, 1, 0x85); // disabled
        assertFalse(irqLevel[5]);
    }

    @Test
    void interruptDisableBitHoldsTheWireLow() {
        pci.isaBridge().writeConfig(0x61, 1, 11);
        slot2.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_INTERRUPT_DISABLE);
        slot2.request(true);
        assertFalse(irqLevel[11]);
        assertTrue((slot2.readConfig(PciConfig.STATUS, 2) & PciConfig.STATUS_INTERRUPT) != 0);
        slot2.writeConfig(PciConfig.COMMAND, 2, 0);
        assertTrue(irqLevel[11]);
    }

    @Test
    void resetDropsPendingRequests() {
        pci.isaBridge().writeConfig(0x61, 1, 11);
        slot2.request(true);
        pci.reset();
        assertFalse(router.isPirqActive(1));
        assertFalse(irqLevel[11]);
    }

    /** A card whose interrupt pin is INTB#. */
    static final class PinBCard extends PciFunction {
        PinBCard() {
            super(0x1234, 0x0002, 0xFF0000, 0);
            defineInterruptPin(2);
        }

        void request(boolean on) {
            setInterruptRequest(on);
        }
    }

    @Test
    void pinsAreSwizzledByTheSlotNumberOntoThePirqLines() {
        PinBCard slot3 = new PinBCard(); // INTB# of slot 3: (2 - 1 + 3 - 1) mod 4 = PIRQD#
        pci.bus().register(3, 0, slot3);
        router.connectAll(pci.bus());
        pci.isaBridge().writeConfig(Piix3IsaBridge.PIRQRC, 4, 0x0B_0A_09_05); // A->5, B->9, C->10, D->11
        slot3.request(true);
        assertTrue(router.isPirqActive(3));
        assertTrue(irqLevel[11]);
        assertFalse(irqLevel[5] || irqLevel[9] || irqLevel[10]);
        assertEquals(0, I440fxPciSystem.pirqOf(1, 1));
        assertEquals(1, I440fxPciSystem.pirqOf(2, 1));
        assertEquals(0, I440fxPciSystem.pirqOf(4, 2));
    }

    @Test
    void aPirqRoutedToAReservedIrqDrivesNothing() {
        pci.isaBridge().writeConfig(0x61, 1, 2); // IRQ 2 is the cascade: not a PIRQ target
        slot2.request(true);
        assertEquals(-1, pci.isaBridge().pirqIrq(1));
        assertEquals(0, java.util.Arrays.stream(irqChanges).sum());
    }
}
