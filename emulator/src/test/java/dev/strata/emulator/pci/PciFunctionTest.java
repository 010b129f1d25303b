package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Configuration space rules every function shares: read-only fields, BAR sizing, command and status bits. */
class PciFunctionTest {

    /** A card with one BAR of each kind and INTA#, as a driver author would declare it. */
    static final class SampleCard extends PciFunction {
        int lastWriteOffset = -1;
        int lastWriteLength;

        SampleCard() {
            super(0x1234, 0x5678, 0x020000, 0x03);
            defineBar(0, PciBar.io(32));
            defineBar(1, PciBar.memory32(4096, false));
            defineBar(2, PciBar.memory32(1 << 20, true));
            defineInterruptPin(1);
        }

        @Override
        protected void configWritten(int offset, int length) {
            lastWriteOffset = offset;
            lastWriteLength = length;
        }

        void signal(int statusBits) {
            setStatusBits(statusBits, true);
        }
    }

    private final SampleCard card = new SampleCard();

    @Test
    void identityFieldsAreReadOnly() {
        card.writeConfig(0x00, 4, 0xFFFF_FFFF);
        card.writeConfig(0x08, 4, 0);
        card.writeConfig(0x2C, 4, 0xDEAD_BEEF);
        assertEquals(0x5678_1234, card.readConfig(0x00, 4));
        assertEquals(0x0200_0003, card.readConfig(0x08, 4));
        assertEquals(0x020000, card.classCode());
        assertEquals(0, card.readConfig(0x2C, 4));
    }

    @Test
    void ioBarSizingReadsBackTheSizeMaskWithTheIoBit() {
        card.writeConfig(0x10, 4, 0xFFFF_FFFF);
        assertEquals(0xFFFF_FFE1, card.readConfig(0x10, 4));
        card.writeConfig(0x10, 4, 0xC03F); // low bits below the 32-port window are not writable
        assertEquals(0xC021, card.readConfig(0x10, 4));
        assertEquals(0xC020, card.barAddress(0));
    }

    @Test
    void memoryBarSizingKeepsTypeAndPrefetchBits() {
        card.writeConfig(0x14, 4, 0xFFFF_FFFF);
        assertEquals(0xFFFF_F000, card.readConfig(0x14, 4));
        card.writeConfig(0x18, 4, 0xFFFF_FFFF);
        assertEquals(0xFFF0_0008, card.readConfig(0x18, 4));
        card.writeConfig(0x18, 4, 0xFEB0_0000);
        assertEquals(0xFEB0_0000, card.barAddress(2));
        assertEquals(0xFEB0_0008, card.readConfig(0x18, 4));
    }

    @Test
    void unimplementedBarsStayZero() {
        for (int bar = 3; bar < 6; bar++) {
            card.writeConfig(PciConfig.bar(bar), 4, 0xFFFF_FFFF);
            assertEquals(0, card.readConfig(PciConfig.bar(bar), 4));
            assertEquals(0, card.barAddress(bar));
        }
    }

    @Test
    void barSizingByteByByteWorksToo() {
        for (int i = 0; i < 4; i++) {
            card.writeConfig(0x14 + i, 1, 0xFF);
        }
        assertEquals(0xF0, card.readConfig(0x15, 1));
        assertEquals(0xFFFF_F000, card.readConfig(0x14, 4));
    }

    @Test
    void commandKeepsOnlyImplementedBits() {
        card.writeConfig(0x04, 2, 0xFFFF);
        assertEquals(0x0507, card.command()); // what QEMU's functions keep, too
        assertTrue(card.ioSpaceEnabled());
        assertTrue(card.memorySpaceEnabled());
        assertTrue(card.busMasterEnabled());
        assertTrue(card.interruptDisabled());
        card.writeConfig(0x04, 2, PciConfig.COMMAND_MEMORY_SPACE);
        assertFalse(card.ioSpaceEnabled());
        assertTrue(card.memorySpaceEnabled());
        assertFalse(card.busMasterEnabled());
    }

    @Test
    void statusErrorBitsClearWhenWrittenWithOne() {
        card.signal(0x2000 | 0x1000 | PciConfig.STATUS_INTERRUPT); // master abort, target abort, INTx
        card.writeConfig(0x06, 2, 0x2000 | PciConfig.STATUS_INTERRUPT);
        assertEquals(0x1000 | PciConfig.STATUS_INTERRUPT, card.readConfig(0x06, 2));
        // A dword write of the command register with status 0 leaves the status alone.
        card.writeConfig(0x04, 4, 0x0000_0003);
        assertEquals(0x1000 | PciConfig.STATUS_INTERRUPT, card.readConfig(0x06, 2));
        assertEquals(0x0003, card.command());
    }

    @Test
    void interruptLineIsWritableAndPinIsNot() {
        assertEquals(0x0100, card.readConfig(0x3C, 2));
        card.writeConfig(0x3C, 2, 0x040B);
        assertEquals(0x0B, card.interruptLine());
        assertEquals(1, card.interruptPin());
    }

    @Test
    void deviceHearsAboutWritesWithTheRealLength() {
        card.writeConfig(0x10, 4, 0xE000);
        assertEquals(0x10, card.lastWriteOffset);
        assertEquals(4, card.lastWriteLength);
        card.writeConfig(0xFF, 2, 0xFFFF); // crosses the end: only one byte lands
        assertEquals(0xFF, card.lastWriteOffset);
        assertEquals(1, card.lastWriteLength);
    }

    @Test
    void deviceSpecificRegistersReadZeroUntilDeclared() {
        card.writeConfig(0x40, 4, 0x1234_5678);
        assertEquals(0, card.readConfig(0x40, 4));
        assertEquals(0xFF, card.readConfig(0xFF, 2) >>> 8); // past the end of the space
    }

    @Test
    void resetRestoresPowerOnValues() {
        card.writeConfig(0x04, 2, 0x0007);
        card.writeConfig(0x10, 4, 0xC000);
        card.writeConfig(0x3C, 1, 0x0B);
        card.reset();
        assertEquals(0, card.command());
        assertEquals(0x0000_0001, card.readConfig(0x10, 4));
        assertEquals(0, card.interruptLine());
    }

    @Test
    void badAccessesAndDeclarationsAreRefusedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> card.readConfig(0x100, 1));
        assertTrue(e.getMessage().contains("100h"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> card.readConfig(0, 5));
        e = assertThrows(IllegalArgumentException.class, () -> PciBar.memory32(3000, false));
        assertTrue(e.getMessage().contains("3000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PciBar.io(2));
        assertThrows(IllegalArgumentException.class, () -> PciConfig.bar(6));
    }
}
