package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.device.vga.ScreenRenderer;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.device.vga.VgaPicture;
import dev.strata.emulator.display.Frame;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The rendering tests' way to look at the screen: the frame {@link VgaDevice#renderFrame()} gives, checked against
 * the same screen captured into a {@link VgaPicture} and rendered on another thread, as the window does. The picture,
 * renderer and frame are shared by every test, so each capture lands in buffers another mode filled before.
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

    /** The screen now; fails when the picture rendered on another thread differs from it. */
    static synchronized Frame frame(VgaDevice vga) {
        Frame live = vga.renderFrame();
        vga.capture(PICTURE);
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
