package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The 440FX host bridge, the PIIX3 ISA bridge and the PIIX3 IDE function's configuration spaces. */
class ChipsetFunctionsTest {

    private final I440fxPciSystem pci = new I440fxPciSystem();
    private final I440fxHostBridge host = pci.hostBridge();
    private final Piix3IsaBridge isa = pci.isaBridge();
    private final Piix3IdeFunction ide = pci.ide();

    @Test
    void functionsSitInTheirSlots() {
        assertEquals(host, pci.bus().function(0, 0));
        assertEquals(isa, pci.bus().function(1, 0));
        assertEquals(ide, pci.bus().function(1, 1));
        assertNull(pci.bus().function(2, 0));
        assertEquals(3, pci.bus().slots().size());
    }

    @Test
    void onlyThePiix3IsaBridgeHasTheMultiFunctionBit() {
        assertEquals(0x80, isa.readConfig(PciConfig.HEADER_TYPE, 1));
        assertTrue(isa.isMultiFunction());
        assertEquals(0x00, ide.readConfig(PciConfig.HEADER_TYPE, 1));
        assertEquals(0x00, host.readConfig(PciConfig.HEADER_TYPE, 1));
        isa.writeConfig(PciConfig.HEADER_TYPE, 1, 0x00);
        assertEquals(0x80, isa.readConfig(PciConfig.HEADER_TYPE, 1));
    }

    @Test
    void piix3KeepsItsMultiFunctionBitOnItsOwn() {
        PciBus bus = new PciBus();
        bus.register(7, 0, new Piix3IsaBridge()); // alone on a bus, as some boards place it
        assertEquals(0x80, bus.readConfig(0, 7, 0, PciConfig.HEADER_TYPE, 1));
    }

    @Test
    void hostBridgeIdentityAndCommandBits() {
        assertEquals(0x1237_8086, host.readConfig(0, 4));
        assertEquals(0x0600_0002, host.readConfig(0x08, 4));
        assertEquals(0x0000_0000, host.readConfig(0x04, 4));
        host.writeConfig(0x04, 2, 0xFFFF);
        assertEquals(0x0507, host.command());
    }

    @Test
    void hostBridgeStoresPamWithinTheirFieldsAndSmramKeepsItsSegment() {
        host.writeConfig(0x59, 4, 0xFFFF_FFFF); // PAM0..PAM3
        assertEquals(0x30, host.pam(0));
        assertEquals(0x33, host.pam(1));
        assertEquals(0x33, host.pam(3));
        assertEquals(0x00, host.pam(4));
        assertEquals(0x01, host.readConfig(0x60, 1)); // DRB0 power-on
        host.writeConfig(0x72, 1, 0xFF);
        assertEquals(0x7A, host.readConfig(0x72, 1));
    }

    @Test
    void isaBridgeIdentityAndPowerOnRegisters() {
        assertEquals(0x7000_8086, isa.readConfig(0, 4));
        assertEquals(0x060100, isa.classCode());
        assertEquals(0x0200_0007, isa.readConfig(0x04, 4));
        isa.writeConfig(0x04, 4, 0xFFFF_FFFF); // status has no error bits set, so nothing to clear
        assertEquals(0x0200_0507, isa.readConfig(0x04, 4));
        assertEquals(0x4D, isa.readConfig(0x4C, 1));
        assertEquals(0x0003, isa.readConfig(0x4E, 2));
        assertEquals(0x8080_8080, isa.readConfig(0x60, 4));
        assertEquals(0x02, isa.readConfig(0x69, 1));
    }

    @Test
    void pirqRegistersStoreTheirFieldsAndNameAnIsaIrq() {
        for (int pirq = 0; pirq < 4; pirq++) {
            assertEquals(-1, isa.pirqIrq(pirq), "disabled at power-on");
        }
        isa.writeConfig(0x60, 4, 0x0F0E_0B0A); // A->10, B->11, C->14, D->15
        assertEquals(10, isa.pirqIrq(0));
        assertEquals(11, isa.pirqIrq(1));
        assertEquals(14, isa.pirqIrq(2));
        assertEquals(15, isa.pirqIrq(3));
        isa.writeConfig(0x61, 1, 0xFF); // reserved bits 6:4 stay 0, bit 7 disables
        assertEquals(0x8F, isa.pirqRouteControl(1));
        assertEquals(-1, isa.pirqIrq(1));
        isa.writeConfig(0x62, 1, 0x02); // IRQ 2 is reserved: not routed
        assertEquals(0x02, isa.pirqRouteControl(2));
        assertEquals(-1, isa.pirqIrq(2));
        isa.writeConfig(0x63, 1, 0x0D); // IRQ 13 (the FPU) is reserved too
        assertEquals(-1, isa.pirqIrq(3));
    }

    @Test
    void ideIsAMassStorageFunctionInLegacyBusMasterMode() {
        assertEquals(0x7010_8086, ide.readConfig(0, 4));
        assertEquals(0x010180, ide.classCode());
        assertEquals(0x0280_0000, ide.readConfig(0x04, 4));
        assertEquals(0, ide.interruptPin());
        assertFalse(ide.ioSpaceEnabled());
        ide.writeConfig(0x04, 2, PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_BUS_MASTER);
        assertTrue(ide.ioSpaceEnabled());
        assertTrue(ide.busMasterEnabled());
        assertFalse(ide.memorySpaceEnabled());
        ide.writeConfig(0x3C, 4, 0xFFFF_FFFF);
        assertEquals(0x0000_00FF, ide.readConfig(0x3C, 4)); // line writable, pin 0, MIN_GNT/MAX_LAT 0
    }

    @Test
    void ideBusMasterBarSizesAsSixteenPortsAndLegacyBarsStayZero() {
        assertEquals(0x0000_0001, ide.readConfig(0x20, 4));
        ide.writeConfig(0x20, 4, 0xFFFF_FFFF);
        assertEquals(0xFFFF_FFF1, ide.readConfig(0x20, 4));
        ide.writeConfig(0x20, 4, 0xC000);
        assertEquals(0xC000, ide.barAddress(Piix3IdeFunction.BUS_MASTER_BAR));
        for (int bar = 0; bar < 4; bar++) {
            ide.writeConfig(PciConfig.bar(bar), 4, 0xFFFF_FFFF);
            assertEquals(0, ide.readConfig(PciConfig.bar(bar), 4), "BAR" + bar);
        }
    }

    @Test
    void ideTimingRegistersEnableEachChannel() {
        assertFalse(ide.channelDecodeEnabled(0));
        ide.writeConfig(0x40, 4, 0x8000_2307); // secondary enabled (bit 31), primary timing without enable
        assertFalse(ide.channelDecodeEnabled(0));
        assertTrue(ide.channelDecodeEnabled(1));
        ide.writeConfig(0x41, 1, 0x80);
        assertTrue(ide.channelDecodeEnabled(0));
    }
}
