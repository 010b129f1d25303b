package dev.strata.emulator.clock;

/** What a device does when one of its timed events comes due. */
@FunctionalInterface
public interface EventHandler {

    /**
     * Called on the CPU thread once virtual time has reached the event's deadline.
     *
     * @param deadline the virtual time the event was scheduled for; the clock may already be a little past it,
     *                 and periodic devices should compute their next deadline from this value, not from "now",
     *                 so that they do not drift
     */
    void onEvent(long deadline);
}
