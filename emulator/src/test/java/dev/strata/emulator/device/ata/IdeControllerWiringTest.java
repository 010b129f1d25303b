package dev.strata.emulator.device.ata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.I440fxPciSystem;
import dev.strata.emulator.pci.PciBarMapper;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.Piix3IdeFunction;
import org.junit.jupiter.api.Test;

/** How the machine wires the controller: legacy ports, BAR4 window following PCI configuration, resets. */
class IdeControllerWiringTest {

    private final IoBus bus = new IoBus();
    private final I440fxPciSystem pci = new I440fxPciSystem();
    private final IdeController ide = new IdeController(DmaMemory.of(new PhysicalMemory(1 << 16)), IrqLine.NONE,
            IrqLine.NONE);

    @Test
    void legacyPortsAreRegisteredForBothChannels() {
        ide.ioPorts().forEach(bus::register);
        ide.attachCdrom(IdeController.SECONDARY, IdeController.SLAVE);
        bus.out(0x176, 1, 0x10); // select the secondary slave
        assertEquals(0x14, bus.in(0x174, 1));
        assertEquals(0xEB, bus.in(0x175, 1));
        assertEquals(0x00, bus.in(0x376, 1), "packet device status after reset");
        assertEquals(0x00, bus.in(0x1F7, 1), "empty primary channel");
        assertEquals(0xFF, bus.in(0x3F7, 1), "3F7h stays with the floppy controller");
    }

    @Test
    void busMasterWindowFollowsBar4AndIoEnable() {
        Piix3IdeFunction function = pci.ide();
        new PciBarMapper(bus, new PhysicalMemory(1 << 20).map()).connectAll(pci.bus());
        ide.connect(function);
        assertEquals(0xFF, bus.in(0xC002, 1), "nothing decoded before the BIOS assigns BAR4");
        function.writeConfig(PciConfig.bar(Piix3IdeFunction.BUS_MASTER_BAR), 4, 0xC000);
        assertEquals(0xFF, bus.in(0xC002, 1), "I/O space still disabled");
        function.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_BUS_MASTER);
        bus.out(0xC00C, 4, 0x1234);
        assertEquals(0x1234, bus.in(0xC00C, 4), "secondary PRD address at +Ch");
        assertEquals(0x1234, ide.channel(IdeController.SECONDARY).busMaster().prdTableAddress());
        function.writeConfig(PciConfig.bar(Piix3IdeFunction.BUS_MASTER_BAR), 4, 0xD040);
        assertEquals(0xFF, bus.in(0xC00C, 1), "old window released");
        assertEquals(0x1234, bus.in(0xD04C, 4), "new window");
        function.writeConfig(PciConfig.COMMAND, 2, 0);
        assertEquals(0xFF, bus.in(0xD04C, 1), "I/O decoding off");
        function.reset();
        assertEquals(0xFF, bus.in(0xD04C, 1));
    }

    @Test
    void attachingTwiceAtOnePlaceIsRefusedAndDetachEmptiesIt() {
        ide.ioPorts().forEach(bus::register);
        AtapiCdrom cd = ide.attachCdrom(IdeController.PRIMARY, IdeController.MASTER);
        assertSame(cd, ide.channel(IdeController.PRIMARY).device(IdeController.MASTER));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ide.attachCdrom(IdeController.PRIMARY, IdeController.MASTER));
        assertTrue(e.getMessage().contains("primary master"), e.getMessage());
        ide.detach(IdeController.PRIMARY, IdeController.MASTER);
        assertNull(ide.channel(IdeController.PRIMARY).device(IdeController.MASTER));
        assertEquals(0, bus.in(0x1F7, 1));
        assertThrows(IllegalArgumentException.class, () -> ide.channel(2));
        assertThrows(IllegalArgumentException.class, () -> ide.attachCdrom(0, 2));
    }

    @Test
    void identifyBlockChecksumAndStrings() {
        IdentifyBlock id = new IdentifyBlock().set(0, 0x1234).setString(27, 2, "ABC").setDword(60, 0x0102_0304L);
        byte[] b = new byte[512];
        id.writeTo(b);
        assertEquals(0x34, b[0]);
        assertEquals('B', b[54]);
        assertEquals('A', b[55]);
        assertEquals(' ', b[56]);
        assertEquals('C', b[57]);
        assertEquals(0x04, b[120]);
        assertEquals(0x02, b[122]);
        int sum = 0;
        for (byte x : b) {
            sum += x & 0xFF;
        }
        assertEquals(0, sum & 0xFF);
        assertEquals((byte) 0xA5, b[510]);
    }
}
