package dev.strata.emulator.device.keyboard;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.state.DeviceSection;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.clock.EventScheduler;
import dev.strata.emulator.clock.TimedEvent;
import java.util.Arrays;
import java.util.List;

/**
 * Host key input paced on the virtual clock: presses and releases wait in a queue and reach the keyboard one at a
 * time, a fixed interval apart, and only once the keyboard has handed its previous bytes to the controller, so
 * typing a long command never overruns the keyboard's buffer. Used by guest tests ("type DIR and Enter") and by
 * scripted input; being on the virtual clock, the same input arrives at the same guest instruction every run.
 */
@StateClass(value = "dev.strata.emulator.device.keyboard.KeyInputQueue", retired = "keyboard")
public final class KeyInputQueue implements Device {

    /** Default gap between two key events: 10 ms, about a fast typist. */
    public static final long DEFAULT_INTERVAL_NANOS = 10_000_000L;

    private final transient EventScheduler scheduler;
    private final transient AtKeyboard keyboard; // saved with the keyboard controller
    private final long intervalNanos;
    @StateField("deliverEvent")
    private final TimedEvent deliverEvent = new TimedEvent("keyboard.input", deadline -> deliverNext());
    private static final Key[] KEYS = Key.values();
    /** Queued events: key ordinal times two, plus one for a press. */
    @StateField("queue") private int[] queue = new int[64];
    @StateField("head") private int head;
    @StateField("size") private int size;

    public KeyInputQueue(EventScheduler scheduler, AtKeyboard keyboard) {
        this(scheduler, keyboard, DEFAULT_INTERVAL_NANOS);
    }

    /** @param intervalNanos virtual time between two key events, at least 1 */
    public KeyInputQueue(EventScheduler scheduler, AtKeyboard keyboard, long intervalNanos) {
        if (intervalNanos < 1) {
            throw new IllegalArgumentException("key interval must be at least 1 ns, got " + intervalNanos);
        }
        this.scheduler = scheduler;
        this.keyboard = keyboard;
        this.intervalNanos = intervalNanos;
    }

    public void press(Key key) {
        add(key.ordinal() * 2 + 1);
    }

    public void release(Key key) {
        add(key.ordinal() * 2);
    }

    /** Presses and releases {@code key}. */
    public void tap(Key key) {
        press(key);
        release(key);
    }

    /** Presses {@code keys} in order and releases them in reverse, as fingers do a chord such as Ctrl+Alt+Del. */
    public void chord(List<Key> keys) {
        for (Key k : keys) {
            press(k);
        }
        for (int i = keys.size() - 1; i >= 0; i--) {
            release(keys.get(i));
        }
    }

    /** Queues the strokes that type {@code text} on a US keyboard (see {@link TextTyper}). */
    public void type(String text) {
        for (TextTyper.KeyStroke stroke : TextTyper.strokes(text)) {
            if (stroke.shift()) {
                press(Key.LEFT_SHIFT);
            }
            tap(stroke.key());
            if (stroke.shift()) {
                release(Key.LEFT_SHIFT);
            }
        }
    }

    /** Key events not yet delivered. */
    public int pending() {
        return size;
    }

    /** True when every queued event has reached the keyboard. */
    public boolean isEmpty() {
        return size == 0;
    }

    private void add(int event) {
        if (size == queue.length) {
            int[] grown = new int[queue.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = queue[(head + i) % queue.length];
            }
            queue = grown;
            head = 0;
        }
        queue[(head + size) % queue.length] = event;
        size++;
        if (!deliverEvent.isScheduled()) {
            scheduler.scheduleIn(deliverEvent, intervalNanos);
        }
    }

    private void deliverNext() {
        if (size == 0) {
            return;
        }
        if (keyboard.pendingBytes() == 0) {
            int event = queue[head];
            head = (head + 1) % queue.length;
            size--;
            Key key = KEYS[event >> 1];
            if ((event & 1) != 0) {
                keyboard.press(key);
            } else {
                keyboard.release(key);
            }
        }
        if (size > 0) {
            scheduler.scheduleIn(deliverEvent, intervalNanos);
        }
    }

    /** Drops every event not yet delivered. */
    public void clear() {
        Arrays.fill(queue, 0);
        head = 0;
        size = 0;
        scheduler.cancel(deliverEvent);
    }

    /** Writes this device's state into a saved state (every state field, see {@link FieldCodec}). */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /** Restores what {@link #saveState} wrote, re-arming this device's timers on the machine's scheduler. */
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
    }

    @Override
    public String name() {
        return "keys";
    }

    /** Version 2 has no copy of the keyboard, which the controller's section saves (version 1's is dropped). */
    @Override
    public DeviceSection state() {
        return new DeviceSection("keys", 2, 1, this::saveState, this::loadState);
    }
}
