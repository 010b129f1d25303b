package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Plugging functions into bus 0, including a device of our own, and finding them through the ports. */
class PciBusTest {

    /**
     * Everything a new PCI device needs to be found, sized and given an interrupt: its identity, its BARs, its pin.
     * (IDs of a Realtek RTL8139 network card, the kind a guest driver would bind to.)
     */
    static final class NetworkCard extends PciFunction {
        NetworkCard() {
            super(0x10EC, 0x8139, 0x020000, 0x20);
            defineBar(0, PciBar.io(256));
            defineBar(1, PciBar.memory32(256, false));
            defineInterruptPin(1);
        }
    }

    /** A function with no BARs, for multi-function devices. */
    static final class PlainFunction extends PciFunction {
        PlainFunction(int deviceId) {
            super(0x1AF4, deviceId, 0xFF0000, 0);
        }
    }

    @Test
    void aCustomCardIsOneClassAndOneRegisterCall() {
        I440fxPciSystem pci = new I440fxPciSystem();
        NetworkCard nic = new NetworkCard();
        pci.bus().register(3, 0, nic);

        PciConfigPorts ports = pci.configPorts();
        ports.out(0xCF8, 4, PciConfigPorts.addressOf(3, 0, 0x00));
        assertEquals(0x8139_10EC, ports.in(0xCFC, 4));
        ports.out(0xCF8, 4, PciConfigPorts.addressOf(3, 0, 0x10));
        ports.out(0xCFC, 4, 0xFFFF_FFFF);
        assertEquals(0xFFFF_FF01, ports.in(0xCFC, 4));
        ports.out(0xCFC, 4, 0xC100);
        ports.out(0xCF8, 4, PciConfigPorts.addressOf(3, 0, 0x3C));
        assertEquals(0x01, ports.in(0xCFD, 1));
        assertEquals(0xC100, nic.barAddress(0));
        assertEquals(2, I440fxPciSystem.pirqOf(3, nic.interruptPin())); // slot 3 INTA# is PIRQC#
        assertEquals(List.of(0, 1, 1, 3), pci.bus().slots().stream().map(PciBus.Slot::device).toList());
    }

    @Test
    void secondFunctionMarksFunctionZeroMultiFunctionInEitherOrder() {
        PciBus bus = new PciBus();
        PlainFunction f0 = new PlainFunction(1);
        bus.register(4, 0, f0);
        assertFalse(f0.isMultiFunction());
        bus.register(4, 2, new PlainFunction(2));
        assertTrue(f0.isMultiFunction());
        f0.reset();
        assertTrue(f0.isMultiFunction(), "the bit is part of the device, not lost at reset");

        PlainFunction late = new PlainFunction(3);
        bus.register(5, 1, new PlainFunction(4));
        bus.register(5, 0, late);
        assertTrue(late.isMultiFunction());
    }

    @Test
    void occupiedAndImpossibleSlotsAreRefused() {
        I440fxPciSystem pci = new I440fxPciSystem();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pci.bus().register(1, 0, new NetworkCard()));
        assertTrue(e.getMessage().contains("1.0") && e.getMessage().contains("Piix3IsaBridge"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pci.bus().register(32, 0, new NetworkCard()));
        assertThrows(IllegalArgumentException.class, () -> pci.bus().register(2, 8, new NetworkCard()));
        assertThrows(IllegalArgumentException.class, () -> pci.bus().register(2, 0, null));
    }

    @Test
    void boardRotatesInterruptPinsByOnePerSlot() {
        assertEquals(0, I440fxPciSystem.pirqOf(1, 1));
        assertEquals(1, I440fxPciSystem.pirqOf(2, 1));
        assertEquals(3, I440fxPciSystem.pirqOf(4, 1));
        assertEquals(0, I440fxPciSystem.pirqOf(5, 1));
        assertEquals(0, I440fxPciSystem.pirqOf(2, 4));
        assertThrows(IllegalArgumentException.class, () -> I440fxPciSystem.pirqOf(2, 0));
    }
}
