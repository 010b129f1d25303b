package dev.strata.emulator.display;

/**
 * One picture of the screen: {@code width * height} pixels, row by row from the top left, each 0xFFRRGGBB. What a
 * display adapter renders and screenshots, windows and tests read.
 */
public record Frame(int width, int height, int[] pixels) {

    public Frame {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " frame needs " + width * height
                    + " pixels, got " + pixels.length);
        }
    }

    /** The 0xFFRRGGBB colour at column {@code x}, row {@code y}. */
    public int pixel(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel " + x + "," + y + " is outside the " + width + "x" + height
                    + " frame");
        }
        return pixels[y * width + x];
    }
}
