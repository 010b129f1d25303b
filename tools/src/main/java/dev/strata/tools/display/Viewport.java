package dev.strata.tools.display;

/**
 * Where the frame goes in the window: scaled by the largest whole number that fits (so every guest pixel is the
 * same number of window pixels, with no blur), centred, with black borders. A window smaller than the frame shows
 * it shrunk to fit, keeping its aspect ratio.
 */
public record Viewport(int x, int y, int width, int height) {

    /** The viewport for a {@code frameWidth} x {@code frameHeight} frame in a window {@code windowWidth} x {@code windowHeight}. */
    public static Viewport fit(int frameWidth, int frameHeight, int windowWidth, int windowHeight) {
        if (frameWidth <= 0 || frameHeight <= 0 || windowWidth <= 0 || windowHeight <= 0) {
            return new Viewport(0, 0, Math.max(0, windowWidth), Math.max(0, windowHeight));
        }
        int scale = Math.min(windowWidth / frameWidth, windowHeight / frameHeight);
        int w;
        int h;
        if (scale >= 1) {
            w = frameWidth * scale;
            h = frameHeight * scale;
        } else if ((long) windowWidth * frameHeight <= (long) windowHeight * frameWidth) {
            w = windowWidth;
            h = Math.max(1, (int) ((long) windowWidth * frameHeight / frameWidth));
        } else {
            h = windowHeight;
            w = Math.max(1, (int) ((long) windowHeight * frameWidth / frameHeight));
        }
        return new Viewport((windowWidth - w) / 2, (windowHeight - h) / 2, w, h);
    }
}
