package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.device.ata.DiskGeometry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FieldCodecTest {

    enum Mode { IDLE, BUSY }

    @StateClass("test.part")
    static final class Part {
        @StateField("value") int value;
        @StateField("history") final long[] history = new long[3];
    }

    @StateClass("test.device")
    static final class Device {
        @StateField("counter") int counter;
        @StateField("flag") boolean flag;
        final int configuration;
        @StateField("buffer") byte[] buffer = new byte[4];
        @StateField("label") String label;
        @StateField("mode") Mode mode = Mode.IDLE;
        @StateField("geometry") DiskGeometry geometry;
        @StateField("part") final Part part = new Part();
        @StateField("parts") final Part[] parts = {new Part(), new Part()};
        @StateField("alias") Part alias;
        @StateField("tick") final TimedEvent tick;
        final transient Runnable callback = () -> { };

        Device(int configuration) {
            this.configuration = configuration;
            this.tick = new TimedEvent("test.tick", d -> counter++);
            this.alias = part;
        }
    }

    @StateClass("test.other")
    static final class Other {
        @StateField("counter") int counter;
    }

    @Test
    void everyKindOfFieldRoundTripsAndTimersAreRearmed() throws Exception {
        MachineClock clockA = MachineClock.deterministic(1);
        Device a = new Device(1);
        a.counter = 42;
        a.flag = true;
        a.buffer = new byte[] {1, 2, 3, 4, 5};
        a.label = "saved";
        a.mode = Mode.BUSY;
        a.geometry = new DiskGeometry(100, 16, 63);
        a.part.value = 7;
        a.part.history[2] = -1;
        a.parts[1].value = 9;
        clockA.scheduler().schedule(a.tick, 5000);
        byte[] saved = StateRoundTrip.save(w -> FieldCodec.save(a, w));

        MachineClock clockB = MachineClock.deterministic(1);
        Device b = new Device(2);
        Part before = b.part;
        StateRoundTrip.loadAndCompare(saved, clockB.scheduler(), r -> FieldCodec.load(b, r),
                w -> FieldCodec.save(b, w));
        assertEquals(42, b.counter);
        assertTrue(b.flag);
        assertEquals(2, b.configuration, "final configuration is the target's own");
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, b.buffer);
        assertEquals("saved", b.label);
        assertEquals(Mode.BUSY, b.mode);
        assertEquals(new DiskGeometry(100, 16, 63), b.geometry);
        assertEquals(before, b.part, "parts are restored in place");
        assertEquals(7, b.part.value);
        assertEquals(-1, b.part.history[2]);
        assertEquals(9, b.parts[1].value);
        assertEquals(b.part, b.alias);
        assertTrue(b.tick.isScheduled());
        assertEquals(5000, b.tick.deadline());
        assertEquals(a.tick.sequence(), b.tick.sequence());
    }

    @Test
    void nullsAndCancelledTimersAreRestoredToo() throws Exception {
        MachineClock clock = MachineClock.deterministic(1);
        Device a = new Device(1);
        a.buffer = null;
        byte[] saved = StateRoundTrip.save(w -> FieldCodec.save(a, w));
        Device b = new Device(1);
        b.label = "stale";
        clock.scheduler().schedule(b.tick, 10);
        FieldCodec.load(b, StateRoundTrip.reader(saved, clock.scheduler()));
        assertNull(b.buffer);
        assertNull(b.label);
        assertEquals(0, clock.scheduler().pending());
    }

    @Test
    void stateOfAnotherClassIsRefusedWithSectionAndOffset() {
        byte[] saved = StateRoundTrip.save(w -> FieldCodec.save(new Device(1), w));
        StateFileException e = assertThrows(StateFileException.class,
                () -> FieldCodec.load(new Other(), StateRoundTrip.reader(saved, null)));
        assertTrue(e.getMessage().startsWith("test.sav: section 'device' at offset "), e.getMessage());
        assertTrue(e.getMessage().contains("expected state of test.other but found test.device"), e.getMessage());
    }

    @Test
    void truncatedStateIsRefused() {
        byte[] saved = StateRoundTrip.save(w -> FieldCodec.save(new Device(1), w));
        byte[] cut = Arrays.copyOf(saved, saved.length - 10);
        StateFileException e = assertThrows(StateFileException.class,
                () -> FieldCodec.load(new Device(1), StateRoundTrip.reader(cut, null)));
        assertTrue(e.getMessage().contains("the section ends") || e.getMessage().contains("past the section"),
                e.getMessage());
    }
}
