package dev.strata.guests.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.display.FramePng;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots guests/vga/vbelfb.asm (assembled here with nasm) from a floppy on Strata's BIOS: it sets VBE mode 144h
 * (1024x768, 32 bits per pixel) with the linear frame buffer through INT 10h AX=4F02h and draws every pixel
 * through the frame buffer from 32-bit protected mode. The screenshot saved when it reports "done" is read back
 * as a PNG and compared pixel by pixel with the guest's colour formula.
 */
class VbeLfbGuestTest {

    @TempDir
    Path dir;

    @Test
    void aBootSectorDrawsThroughTheLinearFrameBufferOfA1024x768x32Mode() throws Exception {
        Path floppy = HostTools.floppy("guests/vga/vbelfb.asm", dir);
        Path screenshot = dir.resolve("screen.png");
        AtomicReference<PcMachine> machine = new AtomicReference<>();
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a").debugConsole(b -> {
            e9.write(b);
            String text = e9.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("done")) {
                // on the CPU thread, at the guest's OUT: the picture is complete (the run stops at this text)
                try {
                    FramePng.write(machine.get().vga().renderFrame(), screenshot);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        GuestBoot.Result boot = GuestBoot.run(settings, List.of("done"), null, null, 300, machine::set);
        String output = e9.toString(StandardCharsets.ISO_8859_1);
        assertTrue(boot.allMet(), boot.describe() + "\nE9h: " + output);
        assertTrue(output.startsWith("vbe ok\ndone"), output);
        assertTrue(Files.exists(screenshot), "no screenshot was taken at \"done\"");
        assertTrue(machine.get().vga().dispiEnabled());

        Frame shot = FramePng.read(screenshot);
        assertEquals(1024, shot.width());
        assertEquals(768, shot.height());
        int wrong = 0;
        String first = null;
        for (int y = 0; y < 768; y++) {
            for (int x = 0; x < 1024; x++) {
                int expected = 0xFF000000 | (x & 0xFF) << 16 | (y & 0xFF) << 8 | (x ^ y) & 0xFF;
                if (shot.pixel(x, y) != expected) {
                    if (first == null) {
                        first = x + "," + y + ": " + Integer.toHexString(shot.pixel(x, y)) + " instead of "
                                + Integer.toHexString(expected);
                    }
                    wrong++;
                }
            }
        }
        assertEquals(0, wrong, "pixels that differ from the guest's formula; the first at " + first);
    }
}
