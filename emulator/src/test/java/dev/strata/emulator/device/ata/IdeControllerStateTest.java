package dev.strata.emulator.device.ata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.state.StateRoundTrip;
import dev.strata.storage.image.DiskImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdeControllerStateTest {

    @TempDir
    Path dir;

    @Test
    void readInFlightContinuesOnTheRestoredController() throws Exception {
        IdeTestRig a = new IdeTestRig();
        IdeTestRig b = new IdeTestRig();
        try (DiskImage imageA = IdeTestRig.rawDisk(dir, "a.img", 64, false);
                DiskImage imageB = IdeTestRig.rawDisk(dir, "b.img", 64, false)) {
            a.ide.attachDisk(IdeController.PRIMARY, IdeController.MASTER, imageA);
            b.ide.attachDisk(IdeController.PRIMARY, IdeController.MASTER, imageB);
            a.lba28(0, 10, 3);
            a.command(AtaCommands.READ_SECTORS);
            a.expectDrq();
            byte[] head = a.readData(700); // part way through the second sector
            bmWrite(a, 4, 0x12345678);
            byte[] saved = StateRoundTrip.save(a.ide::saveState);
            StateRoundTrip.loadAndCompare(saved, null, b.ide::loadState, b.ide::saveState);

            assertEquals(a.status(), b.status());
            assertEquals(0x12345678, b.bus.in(IdeTestRig.BM_BASE + 4, 4), "bus-master PRD pointer");
            byte[] restA = a.readData(3 * 512 - 700);
            byte[] restB = b.readData(3 * 512 - 700);
            assertArrayEquals(restA, restB);
            byte[] all = new byte[3 * 512];
            System.arraycopy(head, 0, all, 0, 700);
            System.arraycopy(restB, 0, all, 700, restB.length);
            for (int s = 0; s < 3; s++) {
                IdeTestRig.assertSector(all, s * 512, 10 + s);
            }
        }
    }

    private static void bmWrite(IdeTestRig rig, int offset, int value) {
        rig.bus.out(IdeTestRig.BM_BASE + offset, 4, value);
    }
}
