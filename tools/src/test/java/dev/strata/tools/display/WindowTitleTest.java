package dev.strata.tools.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strata.tools.display.WindowTitle.State;
import org.junit.jupiter.api.Test;

/** The window's title names the machine and says its state, whether the mouse is held, and its MIPS. */
class WindowTitleTest {

    private final WindowTitle title = new WindowTitle("freedos");

    @Test
    void beforeTheMachineRunsTheTitleHasNoSpeed() {
        assertEquals("freedos [running] - Strata", title.initial(State.RUNNING, false));
    }

    @Test
    void theSpeedIsTheRunsAtFirstThenOverTheTimeSinceTheLastTitle() {
        assertEquals("freedos [running] - Strata - 12.5 MIPS", title.next(1_000_000_000L, 40_000_000L, 12.5,
                State.RUNNING, false));
        // 60 million instructions in half a second
        assertEquals("freedos [running] - Strata - 120.0 MIPS", title.next(1_500_000_000L, 100_000_000L, 12.5,
                State.RUNNING, false));
    }

    @Test
    void aPausedOrPoweredOffMachineRunsAtNoMips() {
        title.next(0, 0, 5.0, State.RUNNING, false);
        assertEquals("freedos [paused] - Strata - 0.0 MIPS", title.next(500_000_000L, 10_000_000L, 5.0,
                State.PAUSED, false));
        assertEquals("freedos [powered off] - Strata - 0.0 MIPS", title.next(1_000_000_000L, 10_000_000L, 5.0,
                State.POWERED_OFF, false));
    }

    @Test
    void theTitleSaysWhenTheWindowHoldsTheMouse() {
        assertEquals("freedos [running] - mouse captured, Right Ctrl releases - Strata - 0.0 MIPS",
                title.next(0, 0, 0.0, State.RUNNING, true));
    }

    @Test
    void anUnchangedTitleIsNotSetAgain() {
        title.next(0, 0, 0.0, State.PAUSED, false);
        assertNull(title.next(500_000_000L, 0, 0.0, State.PAUSED, false));
        assertEquals("freedos [running] - Strata - 20.0 MIPS", title.next(1_000_000_000L, 10_000_000L, 0.0,
                State.RUNNING, false));
    }
}
