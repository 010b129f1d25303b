package dev.strata.guests.mouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.device.mouse.Ps2Mouse;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots guests/mouse/mousetest.asm (assembled here with nasm) from a floppy on Strata's BIOS: it enables the mouse
 * through INT 15h AH=C2h as a DOS mouse driver does; the test moves the mouse and presses its buttons once the guest
 * says it is ready, and the packets the BIOS's IRQ 12 handler passed to the guest's handler come back on COM1.
 */
class MouseGuestTest {

    @TempDir
    Path dir;

    @Test
    void aBootSectorEnablesTheMouseThroughTheBiosAndGetsEachPacket() throws Exception {
        Path floppy = HostTools.floppy("guests/mouse/mousetest.asm", dir);
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a");
        GuestBoot.Result boot = GuestBoot.run(settings, List.of("done"), null, null, 120,
                MouseGuestTest::moveWhenTheGuestIsReady);
        assertTrue(boot.allMet(), boot.describe());
        assertEquals(String.join("\r\n", "mouse ready",
                "packet 08 05 03", // right 5, up 3
                "packet 09 00 00", // the left button goes down
                "packet 39 FE FC", // left 2, down 4: both sign bits, the left button still held
                "done"), boot.serial().strip());
    }

    /** At each line the guest writes, a millisecond of virtual time later: the next thing the mouse does. */
    private static void moveWhenTheGuestIsReady(PcMachine machine) {
        StringBuilder line = new StringBuilder();
        int[] lines = {0};
        machine.addSerialListener(0, b -> {
            if (b != '\n') {
                line.append((char) b);
                return;
            }
            String text = line.toString().strip();
            line.setLength(0);
            Runnable next = switch (lines[0]++) {
                case 0 -> text.equals("mouse ready") ? () -> machine.mouse().move(5, -3) : null;
                // one change per line: the guest keeps one packet at a time
                case 1 -> () -> machine.mouse().setButtons(Ps2Mouse.LEFT);
                case 2 -> () -> machine.mouse().move(-2, 4);
                default -> null;
            };
            if (next != null) {
                machine.clock().scheduler().scheduleIn(new TimedEvent("test.mouse", d -> next.run()), 1_000_000L);
            }
        });
    }
}
