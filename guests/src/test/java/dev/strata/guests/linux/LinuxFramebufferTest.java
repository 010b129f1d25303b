package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.display.FramePng;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's 686 kernel loads its bochs DRM driver (from the guest's initramfs, on demand) for the VGA's PCI function:
 * it finds the DISPI registers and the frame buffer in BAR0, sets a 1024x768x32 mode and offers /dev/fb0. The guest
 * fills the frame buffer with one colour through /dev/fb0, and the screenshot shows it.
 */
@Timeout(1200)
class LinuxFramebufferTest {

    /** Orange as a 32-bit pixel in memory order: blue, green, red, unused. */
    static final int ORANGE = 0xFFFF8000;

    /**
     * Loads the driver, waits for /dev/fb0, shows its size and depth, then writes 3 MiB of orange pixels (a 4-byte
     * pixel doubled into 4 MiB in tmpfs), four lines per write. The DRM's fbdev keeps /dev/fb0 in a shadow buffer
     * and copies the lines a write touched to video memory a moment later (the second's wait lets it); this
     * kernel works out an empty rectangle for a write of exactly one whole line, so such writes (head's 4 KiB
     * blocks at 1024x768x32) would never reach the screen.
     */
    static final String COMMANDS = "for m in $(cat /etc/modules-fb); do insmod /lib/modules/$m || echo FAILED $m;"
            + " done; for i in $(seq 30); do [ -c /dev/fb0 ] && break; sleep 1; done;"
            + " echo SIZE$(cat /sys/class/graphics/fb0/virtual_size)"
            + " BPP$(cat /sys/class/graphics/fb0/bits_per_pixel);"
            + " printf '\\000\\200\\377\\000' > /tmp/p; for i in $(seq 20); do cat /tmp/p /tmp/p > /tmp/q;"
            + " mv /tmp/q /tmp/p; done; dd if=/tmp/p of=/dev/fb0 bs=16384 count=192; sleep 1; echo FB$((1+1))DONE\r";

    @TempDir
    Path dir;

    @Test
    void theBochsDrmDriverSetsADispiModeAndWhatTheGuestWritesToDevFb0Shows() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        MachineSettings settings = new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 "
                        + LinuxBootTest.QUICK));
        LinuxConsole.Result r;
        Frame frame;
        try (LinuxConsole console = new LinuxConsole(settings)) {
            console.onSerial(LinuxGuest.PROMPT, COMMANDS);
            r = console.run(List.of(LinuxGuest.PROMPT, "FB2DONE"), LinuxBootTest.HOST_SECONDS);
            // the run stopped at FB2DONE (Strata powered it off, the guest's driver did not shut the mode down)
            frame = console.machine.vga().renderFrame();
        }
        assertTrue(r.allMet(), r.describe());
        String serial = r.serial();
        assertTrue(!serial.matches("(?s).*FAILED \\S+\\.ko.*"), "a module did not load: " + r.describe());
        assertTrue(serial.contains("[drm] Found bochs VGA, ID 0xb0c5."), r.describe());
        assertTrue(serial.contains("Framebuffer size 16384 kB @ 0xfd000000"), r.describe());
        assertTrue(serial.contains("SIZE1024,768 BPP32"), r.describe());
        Path png = dir.resolve("fb0.png");
        FramePng.write(frame, png);
        Frame shot = FramePng.read(png);
        assertEquals(1024, shot.width());
        assertEquals(768, shot.height());
        // the text console (fbcon, 8x16 cells) blinks its cursor in one cell near the top left; the rest is the fill
        int other = 0;
        for (int y = 0; y < 768; y++) {
            for (int x = 0; x < 1024; x++) {
                if (shot.pixel(x, y) != ORANGE) {
                    assertTrue(x < 16 && y < 96, "pixel " + x + "," + y + " is "
                            + Integer.toHexString(shot.pixel(x, y)));
                    other++;
                }
            }
        }
        assertTrue(other <= 8 * 16, other + " pixels are not the fill");
    }
}
