package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ControllerKindTest {

    private static String problem(String controller, int port, int device, String type) {
        AttachmentRules.SlotProblem p = AttachmentRules.slotProblem(controller, port, device, type);
        return p == null ? null : p.field() + " " + p.message();
    }

    @Test
    void eachSlotRuleNamesTheFieldAndTheSlotsTheControllerHas() {
        assertNull(problem("ide", 1, 1, "hdd"));
        assertNull(problem("ide", 1, 0, "dvd"));
        assertNull(problem("floppy", 1, 0, "fdd"));
        assertEquals("port is 2, but an IDE port is 0 or 1 (primary, secondary)", problem("ide", 2, 0, "hdd"));
        assertEquals("device is 2, but an IDE device is 0 or 1 (master, slave)", problem("ide", 0, 2, "hdd"));
        assertEquals("type is fdd, which cannot go on IDE; use hdd or dvd", problem("ide", 0, 0, "fdd"));
        assertEquals("type is tape, which cannot go on IDE; use hdd or dvd", problem("ide", 0, 0, "tape"));
        assertEquals("port is 0 with device 1, but Strata's CD/DVD drive is the secondary master: port 1, device 0",
                problem("ide", 0, 1, "dvd"));
        assertEquals("port is -1, but a floppy port is 0 or 1 (drive A:, B:)", problem("floppy", -1, 0, "fdd"));
        assertEquals("device is 1, but a floppy drive's device is always 0", problem("floppy", 0, 1, "fdd"));
        assertEquals("type is hdd, which cannot go on the floppy controller; use fdd", problem("floppy", 0, 0, "hdd"));
        assertEquals("controller is \"scsi\", an unknown controller; use ide, sata or floppy",
                problem("scsi", 0, 0, "hdd"));
    }

    @Test
    void sataHasSixPortsWithOneDeviceEachAndTakesDisksAndCdsAnywhere() {
        for (int port = 0; port < 6; port++) {
            assertNull(problem("sata", port, 0, "hdd"));
            assertNull(problem("sata", port, 0, "dvd"));
        }
        assertEquals("port is 6, but a SATA port is 0 to 5", problem("sata", 6, 0, "hdd"));
        assertEquals("port is -1, but a SATA port is 0 to 5", problem("sata", -1, 0, "dvd"));
        assertEquals("device is 1, but a SATA drive's device is always 0", problem("sata", 0, 1, "hdd"));
        assertEquals("type is fdd, which cannot go on SATA; use hdd or dvd", problem("sata", 0, 0, "fdd"));
    }

    @Test
    void theNamesInVmJsonMapToTheKinds() {
        for (ControllerKind c : ControllerKind.values()) {
            assertEquals(c, ControllerKind.of(c.key()).orElseThrow());
        }
        for (DriveType t : DriveType.values()) {
            assertEquals(t, DriveType.of(t.key()).orElseThrow());
        }
        assertEquals("ide, sata or floppy", ControllerKind.keys());
    }
}
