package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.device.mouse.Ps2Mouse;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's 686 kernel loads psmouse (from the guest's initramfs, on demand), which finds Strata's PS/2 mouse on the
 * 8042's auxiliary port; the guest reads /dev/input/mice while the test moves the mouse and presses a button, and
 * the packets Linux's mousedev makes of them come back on COM1.
 */
@Timeout(1200)
class LinuxMouseTest {

    /**
     * Loads the module, waits for the mouse's input device, prints its name and relative axes, then reads three
     * 3-byte packets from /dev/input/mice in the background, says it is ready, and prints them in hex. The sums in
     * the markers keep the echo of this command line from matching them.
     */
    static final String COMMANDS = "for m in $(cat /etc/modules-mouse); do insmod /lib/modules/$m || echo FAILED $m;"
            + " done; for i in $(seq 30); do [ -e /sys/class/input/mouse0 ] && break; sleep 1; done;"
            + " echo NAME $(cat /sys/class/input/mouse0/device/name)"
            + " REL $(cat /sys/class/input/mouse0/device/capabilities/rel);"
            + " dd if=/dev/input/mice of=/tmp/m bs=3 count=3 2>/dev/null & sleep 1; echo MOUSE$((1+1))READY;"
            + " wait; echo PACKETS $(od -An -tx1 /tmp/m) END; echo MOUSE$((2+1))DONE\r";

    /** The time between the mouse's changes: long enough for the reader to take each packet on its own. */
    private static final long STEP_NANOS = 100_000_000L;

    @Test
    void psmouseFindsTheMouseAndDevInputMiceGivesItsMovesAndButtons() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        MachineSettings settings = new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 "
                        + LinuxBootTest.QUICK));
        LinuxConsole.Result r;
        try (LinuxConsole console = new LinuxConsole(settings)) {
            console.onSerial(LinuxGuest.PROMPT, COMMANDS);
            moveWhenReady(console.machine);
            r = console.run(List.of(LinuxGuest.PROMPT, "MOUSE3DONE"), LinuxBootTest.HOST_SECONDS);
        }
        assertTrue(r.allMet(), r.describe());
        String serial = r.serial();
        assertTrue(!serial.matches("(?s).*FAILED \\S+\\.ko.*"), "a module did not load: " + r.describe());
        // psmouse knocks (sample rates 200, 100, 80) and finds a wheel mouse: relative X, Y and the wheel (bit 8)
        assertTrue(serial.contains("NAME ImPS/2 Generic Wheel Mouse REL 103"), "no PS/2 wheel mouse: " + r.describe());
        // right 5, up 3; the left button goes down; left 2, down 4 with the button held (both sign bits)
        assertTrue(serial.contains("PACKETS 08 05 03 09 00 00 39 fe fc END"), r.describe());
    }

    /** Once the guest says it reads: a move, the left button, another move, each a step of virtual time apart. */
    private static void moveWhenReady(PcMachine machine) {
        StringBuilder line = new StringBuilder();
        machine.addSerialListener(0, b -> {
            if (b != '\n') {
                line.append((char) b);
                return;
            }
            boolean ready = line.toString().strip().equals("MOUSE2READY");
            line.setLength(0);
            if (ready) {
                List<Runnable> changes = List.of(() -> machine.mouse().move(5, -3),
                        () -> machine.mouse().setButtons(Ps2Mouse.LEFT), () -> machine.mouse().move(-2, 4));
                for (int i = 0; i < changes.size(); i++) {
                    Runnable change = changes.get(i);
                    machine.clock().scheduler().scheduleIn(new TimedEvent("test.mouse", d -> change.run()),
                            (i + 1) * STEP_NANOS);
                }
            }
        });
    }
}
