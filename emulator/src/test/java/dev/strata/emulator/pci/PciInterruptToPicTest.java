package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.pic.DualPic;
import org.junit.jupiter.api.Test;

/**
 * A PCI card's interrupt through the PIIX3 to the PC's interrupt controller, programmed through the ports as a
 * BIOS does it: PIRQ route, ELCR level mode, interrupt line, then the driver's handler acknowledges the card.
 */
class PciInterruptToPicTest {

    static final class Card extends PciFunction {
        Card() {
            super(0x1234, 0x0002, 0xFF0000, 0);
            defineInterruptPin(1);
        }

        void raise() {
            setInterruptRequest(true);
        }

        void acknowledgeInDevice() {
            setInterruptRequest(false);
        }
    }

    @Test
    void cardInterruptArrivesAsTheRoutedVectorAndStopsWhenTheDeviceIsServed() {
        DualPic pic = new DualPic();
        for (int[] w : new int[][] {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11},
                {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01}, {0x21, 0x00}, {0xA1, 0x00}}) {
            pic.writePort(w[0], w[1]);
        }
        I440fxPciSystem pci = new I440fxPciSystem();
        Card card = new Card();
        pci.bus().register(2, 0, card); // slot 2 INTA# = PIRQB#
        new PciInterruptRouter(pci.isaBridge(), pic::irqLine).connectAll(pci.bus());

        PciConfigPorts ports = pci.configPorts();
        ports.out(0xCF8, 4, PciConfigPorts.addressOf(1, 0, 0x60));
        ports.out(0xCFD, 1, 11);                 // PIRQB# -> IRQ 11
        pic.writePort(DualPic.ELCR_SLAVE, 0x08); // IRQ 11 level-triggered
        ports.out(0xCF8, 4, PciConfigPorts.addressOf(2, 0, 0x3C));
        ports.out(0xCFC, 1, 11);                 // tell the driver

        card.raise();
        assertTrue(pic.hasInterrupt());
        assertEquals(0x73, pic.acknowledge());   // slave base 70h + 3
        card.acknowledgeInDevice();
        pic.writePort(0xA0, 0x20);
        pic.writePort(0x20, 0x20);
        assertFalse(pic.hasInterrupt());
        assertEquals(11, card.interruptLine());
    }
}
