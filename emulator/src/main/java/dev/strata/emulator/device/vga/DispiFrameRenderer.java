package dev.strata.emulator.device.vga;

import dev.strata.emulator.display.Frame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Turns a DISPI mode's {@link VgaPicture} into an RGB {@link Frame}: the visible window of the virtual screen, which
 * the picture holds from its top left pixel; 8 bits per pixel through the DAC, 15 (5-5-5), 16 (5-6-5), 24 and 32
 * bits (blue, green, red in ascending bytes) as direct colour. Lines past the end of video memory show black. It
 * reads only the picture, so it may run on any thread; one instance renders one picture at a time.
 */
final class DispiFrameRenderer {

    private static final VarHandle LITTLE_ENDIAN_INTS = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final int[] palette = new int[256];

    /** Renders {@code picture}, into {@code reuse}'s pixels when it has the mode's size (null: a new frame). */
    Frame render(VgaPicture picture, Frame reuse) {
        int width = picture.width;
        int height = picture.height;
        Frame out = FrameRenderer.frame(width, height, reuse);
        int[] pixels = out.pixels();
        if (!picture.lfbPresent) {
            java.util.Arrays.fill(pixels, 0xFF000000);
            return out;
        }
        if (picture.bitsPerPixel == 8) {
            loadPalette(picture.dac);
        }
        byte[] vram = picture.lfb;
        int bytes = picture.bytesPerPixel;
        for (int y = 0; y < height; y++) {
            long line = (long) y * picture.lineBytes;
            int at = y * width;
            if (line + (long) width * bytes > picture.lfbLength) {
                java.util.Arrays.fill(pixels, at, at + width, 0xFF000000);
                continue;
            }
            drawLine(picture.bitsPerPixel, vram, (int) line, pixels, at, width);
        }
        return out;
    }

    private void drawLine(int bitsPerPixel, byte[] vram, int from, int[] pixels, int at, int width) {
        switch (bitsPerPixel) {
            case 8 -> {
                for (int x = 0; x < width; x++) {
                    pixels[at + x] = palette[vram[from + x] & 0xFF];
                }
            }
            case 15 -> {
                for (int x = 0; x < width; x++) {
                    int p = vram[from + 2 * x] & 0xFF | (vram[from + 2 * x + 1] & 0xFF) << 8;
                    pixels[at + x] = 0xFF000000 | fiveToEight(p >> 10 & 0x1F) << 16 | fiveToEight(p >> 5 & 0x1F) << 8
                            | fiveToEight(p & 0x1F);
                }
            }
            case 16 -> {
                for (int x = 0; x < width; x++) {
                    int p = vram[from + 2 * x] & 0xFF | (vram[from + 2 * x + 1] & 0xFF) << 8;
                    pixels[at + x] = 0xFF000000 | fiveToEight(p >> 11 & 0x1F) << 16 | sixToEight(p >> 5 & 0x3F) << 8
                            | fiveToEight(p & 0x1F);
                }
            }
            case 24 -> {
                for (int x = 0; x < width; x++) {
                    int i = from + 3 * x;
                    pixels[at + x] = 0xFF000000 | (vram[i + 2] & 0xFF) << 16 | (vram[i + 1] & 0xFF) << 8
                            | vram[i] & 0xFF;
                }
            }
            default -> {
                // blue, green, red, unused read as one little-endian int is the pixel's RGB already: one load a
                // pixel instead of three
                for (int x = 0; x < width; x++) {
                    pixels[at + x] = 0xFF000000 | (int) LITTLE_ENDIAN_INTS.get(vram, from + 4 * x);
                }
            }
        }
    }

    /** The DAC as RGB through the pixel mask, in the DAC's width (6 bits, or 8 with the 8-bit DAC bit). */
    private void loadPalette(Dac dac) {
        int mask = dac.pixelMask();
        for (int i = 0; i < 256; i++) {
            palette[i] = dac.argb(i & mask);
        }
    }

    private static int fiveToEight(int v) {
        return v << 3 | v >> 2;
    }

    private static int sixToEight(int v) {
        return v << 2 | v >> 4;
    }
}
