package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.display.Frame;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The rendering tests' way to look at the screen: the frame {@link VgaDevice#renderFrame} gives, checked against the
 * same screen captured into a {@link VgaPicture} and rendered on another thread, the way the window does it. The
 * picture, the renderer and the frame it renders into are shared by every test, so each capture lands in buffers an
 * earlier test filled with another mode: a capture that leaves part of the old picture behind shows as a difference.
 */
final class PictureCheck {

    private static final VgaPicture PICTURE = new VgaPicture();
    private static final ScreenRenderer RENDERER = new ScreenRenderer();
    private static final ExecutorService DISPLAY = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-display");
        t.setDaemon(true);
        return t;
    });
    private static Frame reused;

    private PictureCheck() {
    }

    /** The screen now; fails when the picture rendered on another thread differs. */
    static Frame frame(VgaDevice vga) {
        return frame(vga, -1);
    }

    /** The screen at virtual time {@code nanos} (-1: the device's clock); fails as {@link #frame(VgaDevice)} does. */
    static synchronized Frame frame(VgaDevice vga, long nanos) {
        Frame live = nanos < 0 ? vga.renderFrame() : vga.renderFrame(nanos);
        if (nanos < 0) {
            vga.capture(PICTURE);
        } else {
            vga.capture(PICTURE, nanos);
        }
        Frame elsewhere;
        try {
            elsewhere = DISPLAY.submit(() -> RENDERER.render(PICTURE, reused)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("rendering the picture on another thread failed", e);
        }
        reused = elsewhere;
        assertEquals(live.width() + "x" + live.height(), elsewhere.width() + "x" + elsewhere.height(),
                "the picture rendered on another thread has the live frame's size");
        assertArrayEquals(live.pixels(), elsewhere.pixels(), "the picture rendered on another thread shows the live"
                + " frame's pixels");
        return live;
    }
}
