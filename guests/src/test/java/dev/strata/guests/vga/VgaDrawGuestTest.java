package dev.strata.guests.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots guests/vga/vgadraw.asm (assembled here with nasm) from a floppy on Strata's BIOS: it draws in modes 12h and
 * 13h through INT 10h and straight through the VGA's registers and memory, and reads its own dots back. The frame
 * rendered at each of its reports is compared dot by dot with the picture its colour formulas give, through the
 * attribute palette and the DAC.
 */
class VgaDrawGuestTest {

    @TempDir
    Path dir;

    @Test
    void drawsAndReadsBackInModes12hAnd13h() throws Exception {
        Path floppy = HostTools.floppy("guests/vga/vgadraw.asm", dir);
        AtomicReference<PcMachine> machine = new AtomicReference<>();
        Map<String, Frame> frames = new HashMap<>();
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        StringBuilder line = new StringBuilder();
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a").debugConsole(b -> {
            // On the CPU thread, at the guest's OUT: the picture is the one the report speaks of.
            e9.write(b);
            if (b == '\n') {
                frames.put(line.toString(), machine.get().vga().renderFrame());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        });
        GuestBoot.Result boot = GuestBoot.run(settings, List.of("done"), null, null, 300, machine::set);
        String output = e9.toString(StandardCharsets.ISO_8859_1);
        assertTrue(boot.allMet(), boot.describe() + "\nE9h: " + output);
        assertTrue(output.startsWith("12h ok\n13h ok\ndone"), "the guest read back every dot it drew: " + output);

        VgaDevice vga = machine.get().vga();
        Frame mode12 = frames.get("12h ok");
        assertEquals(640, mode12.width());
        assertEquals(480, mode12.height());
        // Mode 12h's attribute palette and DAC were the BIOS's: colour c shows DAC entry palette[c].
        int[] expected12 = new int[640 * 480];
        int[] palette12 = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E,
            0x3F};
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int colour = drawn(x, y) ? ((x >> 2) + (y >> 2)) & 15 : 0;
                expected12[y * 640 + x] = egaColour(palette12[colour]);
            }
        }
        assertArrayEquals(expected12, mode12.pixels());

        Frame mode13 = frames.get("13h ok");
        assertEquals(320, mode13.width());
        assertEquals(200, mode13.height());
        int[] expected13 = new int[320 * 200];
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 320; x++) {
                int colour = drawn(x, y) ? (2 * x + 3 * y) & 0xFF : 0;
                expected13[y * 320 + x] = dacColour(vga, colour);
            }
        }
        assertArrayEquals(expected13, mode13.pixels());
    }

    private static boolean drawn(int x, int y) {
        return x < 64 && (y < 48 || y >= 100 && y < 148);
    }

    /** An EGA colour (two bits a primary: rgbRGB) as a VGA DAC loaded with the EGA palette shows it. */
    private static int egaColour(int ega) {
        int r = (ega >> 2 & 1) * 0xAA + (ega >> 5 & 1) * 0x55;
        int g = (ega >> 1 & 1) * 0xAA + (ega >> 4 & 1) * 0x55;
        int b = (ega & 1) * 0xAA + (ega >> 3 & 1) * 0x55;
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    private static int dacColour(VgaDevice vga, int index) {
        int e = vga.dacEntry(index);
        return 0xFF000000 | eight(e >> 12) << 16 | eight(e >> 6) << 8 | eight(e);
    }

    private static int eight(int six) {
        six &= 0x3F;
        return six << 2 | six >> 4;
    }
}
