package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The hand-over of pictures from the CPU thread to the display: the newest wins, and the capturer never renders. */
class PictureExchangeTest {

    private final PictureExchange exchange = new PictureExchange();

    private VgaPicture onDisplay() throws Exception {
        return CompletableFuture.supplyAsync(exchange::takeNewest).get();
    }

    @Test
    void theDisplayGetsTheNewestPictureOnceAndNothingWhenNoneCame() throws Exception {
        assertNull(onDisplay(), "nothing published yet");
        VgaPicture first = exchange.back();
        first.nanos = 1;
        exchange.publish();
        VgaPicture second = exchange.back();
        assertNotSame(first, second, "the capturer fills another picture while the first waits");
        second.nanos = 2;
        exchange.publish();
        VgaPicture taken = onDisplay();
        assertEquals(2, taken.nanos, "the newer picture replaced the one not taken");
        assertNull(onDisplay(), "no new picture since");
        assertEquals(2, exchange.published());
        assertEquals(1, exchange.taken());
    }

    @Test
    void aPictureBeingRenderedIsNeverTheOneTheCapturerFills() throws Exception {
        for (int i = 0; i < 10; i++) {
            exchange.back().nanos = i;
            exchange.publish();
            VgaPicture rendered = onDisplay();
            assertEquals(i, rendered.nanos);
            exchange.back().nanos = -1;
            assertTrue(rendered.nanos == i, "filling the back picture did not touch the one on the display");
            assertNotSame(rendered, exchange.back());
        }
    }

    @Test
    void theThreadThatCapturesMayNotRender() {
        exchange.publish();
        IllegalStateException e = assertThrows(IllegalStateException.class, exchange::takeNewest);
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
    }

    @Test
    void theDisplaysPictureStaysItsOwnWhileTheCapturerPublishesMore() throws Exception {
        exchange.publish();
        VgaPicture shown = onDisplay();
        for (int i = 0; i < 5; i++) {
            assertNotSame(shown, exchange.back(), "publish " + i);
            exchange.publish();
        }
        assertNotSame(shown, onDisplay());
    }
}
