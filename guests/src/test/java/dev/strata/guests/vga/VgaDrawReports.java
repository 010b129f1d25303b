package dev.strata.guests.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.PcMachine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The reports guests/vga/vgadraw.asm writes to the debug port E9h, each with the frame the VGA showed at that
 * moment, and the pictures its colour formulas give, through the attribute palette and the DAC. Both the boot
 * sector and the DOS program built from the same source are checked with it.
 */
final class VgaDrawReports implements IntConsumer {

    private final Supplier<PcMachine> machine;
    private final Map<String, Frame> frames = new HashMap<>();
    /** The DAC's 256 colours at each report: a DOS program's exit to text mode loads another palette. */
    private final Map<String, int[]> dacs = new HashMap<>();
    private final ByteArrayOutputStream e9 = new ByteArrayOutputStream();
    private final StringBuilder line = new StringBuilder();

    VgaDrawReports(Supplier<PcMachine> machine) {
        this.machine = machine;
    }

    /** On the CPU thread, at the guest's OUT: the picture is the one the report speaks of. */
    @Override
    public void accept(int b) {
        e9.write(b);
        if (b == '\n') {
            VgaDevice vga = machine.get().vga();
            frames.put(line.toString(), vga.renderFrame());
            int[] dac = new int[256];
            for (int i = 0; i < 256; i++) {
                dac[i] = dacColour(vga, i);
            }
            dacs.put(line.toString(), dac);
            line.setLength(0);
        } else {
            line.append((char) b);
        }
    }

    String output() {
        return e9.toString(StandardCharsets.ISO_8859_1);
    }

    /** The frames at "12h ok" and "13h ok" are exactly what the guest drew with the BIOS's palette and DAC. */
    void assertPictures() {
        Frame mode12 = frames.get("12h ok");
        assertNotNull(mode12, "no frame at the 12h report: " + output());
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
        assertNotNull(mode13, "no frame at the 13h report: " + output());
        assertEquals(320, mode13.width());
        assertEquals(200, mode13.height());
        int[] dac = dacs.get("13h ok");
        int[] expected13 = new int[320 * 200];
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 320; x++) {
                int colour = drawn(x, y) ? (2 * x + 3 * y) & 0xFF : 0;
                expected13[y * 320 + x] = dac[colour];
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

    /** DAC entry {@code index} as the renderer shows it (six bits a component, widened to eight). */
    static int dacColour(VgaDevice vga, int index) {
        int e = vga.dacEntry(index);
        return 0xFF000000 | eight(e >> 12) << 16 | eight(e >> 6) << 8 | eight(e);
    }

    private static int eight(int six) {
        six &= 0x3F;
        return six << 2 | six >> 4;
    }
}
