package dev.strata.emulator.device.vga;

/**
 * Hands {@link VgaPicture}s from the CPU thread, which captures them, to a display thread, which renders them: three
 * pictures, one the CPU thread fills, one waiting, one being rendered, so neither thread ever waits for the other
 * and a slow display only skips pictures. The CPU thread fills {@link #back()} with {@link VgaDevice#capture} and
 * calls {@link #publish()}; the display thread takes the newest with {@link #takeNewest()}. Only the swaps hold the
 * lock, never a copy or a rendering.
 *
 * <p>It also keeps the rule that the CPU thread never renders: taking a picture on the thread that published it is
 * refused.
 */
public final class PictureExchange {

    private VgaPicture back = new VgaPicture();
    private VgaPicture waiting = new VgaPicture();
    private VgaPicture front = new VgaPicture();
    private boolean waitingIsNew;
    private volatile Thread publisher;
    private long published;
    private long taken;

    /** The picture the capturing thread fills next; it belongs to that thread until {@link #publish()}. */
    public VgaPicture back() {
        return back;
    }

    /** Makes the filled {@link #back()} the newest picture, replacing one the display has not taken yet. */
    public synchronized void publish() {
        publisher = Thread.currentThread();
        VgaPicture filled = back;
        back = waiting;
        waiting = filled;
        waitingIsNew = true;
        published++;
    }

    /**
     * The newest picture published since the last call, or null when none came; it belongs to the calling thread
     * until its next call. Throws IllegalStateException on the thread that publishes: rendering belongs elsewhere.
     */
    public synchronized VgaPicture takeNewest() {
        if (Thread.currentThread() == publisher) {
            throw new IllegalStateException("pictures are rendered off the thread that captures them ("
                    + publisher.getName() + ")");
        }
        if (!waitingIsNew) {
            return null;
        }
        VgaPicture newest = waiting;
        waiting = front;
        front = newest;
        waitingIsNew = false;
        taken++;
        return newest;
    }

    /** Pictures published so far. */
    public synchronized long published() {
        return published;
    }

    /** Pictures taken so far; fewer than published when the display skipped some. */
    public synchronized long taken() {
        return taken;
    }
}
