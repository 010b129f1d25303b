package dev.strata.emulator.device.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.device.IrqLine;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CmosSetupTest {

    private final Mc146818Rtc rtc = new Mc146818Rtc(MachineClock.deterministic(1).scheduler(), IrqLine.NONE,
            LocalDateTime.of(2026, 1, 1, 0, 0, 0));
    private final CmosSetup setup = new CmosSetup(rtc);

    private int word(int low) {
        return rtc.cmosByte(low) | rtc.cmosByte(low + 1) << 8;
    }

    @Test
    void memorySizesFor32MiB() {
        setup.memory(32L << 20);
        assertEquals(640, word(0x15));
        assertEquals(31 * 1024, word(0x17));
        assertEquals(31 * 1024, word(0x30));
        assertEquals(256, word(0x34), "16 MiB above 16 MiB in 64 KiB blocks");
    }

    @Test
    void memorySizesSaturateForLargeAndSmallMachines() {
        setup.memory(8L << 30);
        assertEquals(0xFFFF, word(0x17));
        assertEquals(0xFFFF, word(0x34), "8 GiB - 16 MiB is more than 65535 blocks");
        setup.memory(512 * 1024);
        assertEquals(512, word(0x15));
        assertEquals(0, word(0x17));
        assertEquals(0, word(0x34));
    }

    @Test
    void floppyTypesOneNibblePerDrive() {
        setup.floppyDrives(FloppyDriveType.HD_1440K_35, FloppyDriveType.HD_1200K_525);
        assertEquals(0x42, rtc.cmosByte(0x10));
    }

    @Test
    void hardDiskTypesAbove14UseTheExtendedBytes() {
        setup.hardDiskTypes(2, 0);
        assertEquals(0x20, rtc.cmosByte(0x12));
        setup.hardDiskTypes(47, 3);
        assertEquals(0xF3, rtc.cmosByte(0x12));
        assertEquals(47, rtc.cmosByte(0x19));
        assertEquals(0, rtc.cmosByte(0x1A));
        assertThrows(IllegalArgumentException.class, () -> setup.hardDiskTypes(256, 0));
    }

    @Test
    void userDefinedDiskStoresItsGeometry() {
        setup.hardDiskTypes(0, 2);
        setup.userDefinedHardDisk(0, 1024, 16, 63);
        assertEquals(0xF2, rtc.cmosByte(0x12), "disk 1 keeps its type");
        assertEquals(47, rtc.cmosByte(0x19));
        assertEquals(1024, word(0x1B));
        assertEquals(16, rtc.cmosByte(0x1D));
        assertEquals(0xFFFF, word(0x1E));
        assertEquals(0xC8, rtc.cmosByte(0x20), "more than 8 heads");
        assertEquals(1024, word(0x21));
        assertEquals(63, rtc.cmosByte(0x23));
        setup.userDefinedHardDisk(1, 500, 4, 17);
        assertEquals(0xFF, rtc.cmosByte(0x12));
        assertEquals(47, rtc.cmosByte(0x1A));
        assertEquals(500, word(0x24));
        assertEquals(17, rtc.cmosByte(0x2C));
    }

    @Test
    void equipmentByte() {
        setup.equipment(2, true, PrimaryDisplay.EGA_VGA);
        assertEquals(0x43, rtc.cmosByte(0x14));
        setup.equipment(0, false, PrimaryDisplay.MONOCHROME);
        assertEquals(0x30, rtc.cmosByte(0x14));
    }

    @Test
    void centuryFollowsTheBinaryMode() {
        setup.century(1999);
        assertEquals(0x19, rtc.cmosByte(0x32));
        rtc.writeRegister(0x0B, Mc146818Rtc.B_BINARY | Mc146818Rtc.B_24_HOUR);
        setup.century(2026);
        assertEquals(20, rtc.cmosByte(0x32));
    }

    @Test
    void checksumIsTheSumOf10hTo2DhHighByteFirst() {
        setup.memory(16L << 20).floppyDrives(FloppyDriveType.HD_1440K_35, FloppyDriveType.NONE)
                .equipment(1, true, PrimaryDisplay.EGA_VGA);
        int sum = 0;
        for (int i = 0x10; i <= 0x2D; i++) {
            sum += rtc.cmosByte(i);
        }
        assertEquals(sum >> 8, rtc.cmosByte(0x2E));
        assertEquals(sum & 0xFF, rtc.cmosByte(0x2F));
        assertTrue(setup.checksumValid());
        rtc.setCmosByte(0x20, rtc.cmosByte(0x20) + 1);
        assertFalse(setup.checksumValid());
    }
}
