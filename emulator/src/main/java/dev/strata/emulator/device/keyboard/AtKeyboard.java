package dev.strata.emulator.device.keyboard;

import dev.strata.emulator.clock.EventScheduler;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MF2 AT keyboard: takes key presses and releases from the host side, sends their scan codes (set 2, or set 1
 * when the guest selects it) to the controller, repeats the last held key at the typematic rate on the virtual
 * clock, and answers the keyboard commands (reset, identify, scan set, typematic, LEDs, enable/disable, echo,
 * resend). Command replies go out before any scan codes still waiting. The scan code buffer holds 16 bytes; when
 * it overflows the last byte becomes the overrun code and further bytes are lost, as on the real keyboard.
 */
@StateClass("dev.strata.emulator.device.keyboard.AtKeyboard")
public final class AtKeyboard implements Ps2Device {

    private static final Logger LOG = LoggerFactory.getLogger(AtKeyboard.class);

    public static final int ACK = 0xFA;
    public static final int RESEND = 0xFE;
    public static final int SELF_TEST_PASSED = 0xAA;
    public static final int ECHO = 0xEE;
    /** Typematic byte after reset: 500 ms delay, 10.9 characters per second. */
    public static final int DEFAULT_TYPEMATIC = 0x2B;
    static final int BUFFER_SIZE = 16;

    private final transient EventScheduler scheduler;
    @StateField("repeatEvent")
    private final TimedEvent repeatEvent = new TimedEvent("keyboard.typematic", this::onRepeat);
    @StateField("set1Encoder") private final ScanCodeTranslator set1Encoder = new ScanCodeTranslator();
    @StateField("scanBuffer") private final int[] scanBuffer = new int[BUFFER_SIZE];
    @StateField("scanHead") private int scanHead;
    @StateField("scanCount") private int scanCount;
    @StateField("replies") private final int[] replies = new int[8];
    @StateField("replyHead") private int replyHead;
    @StateField("replyCount") private int replyCount;
    private transient Runnable dataReady = () -> { };

    @StateField("scanning") private boolean scanning = true;
    @StateField("scanSet") private int scanSet = 2;
    @StateField("typematic") private int typematic = DEFAULT_TYPEMATIC;
    @StateField("leds") private int leds;
    @StateField("lastSent") private int lastSent = -1;
    /** The command whose parameter byte comes next, or -1. */
    @StateField("awaitingParameter") private int awaitingParameter = -1;
    @StateField("held") private final boolean[] held = new boolean[Key.values().length];
    @StateField("repeating") private Key repeating;

    public AtKeyboard(EventScheduler scheduler) {
        this.scheduler = scheduler;
    }

    // ---- host side ----------------------------------------------------------------------------------------

    /**
     * The key goes down: its make code is sent and, if it repeats, typematic repeat starts after the delay. A press
     * of a key already down is ignored: host auto-repeat must not stack on the keyboard's own typematic repeat.
     */
    public void press(Key key) {
        if (!scanning || held[key.ordinal()]) {
            return;
        }
        held[key.ordinal()] = true;
        sendScan(key.set2Make());
        if (key.typematic()) {
            repeating = key;
            scheduler.scheduleIn(repeatEvent, typematicDelayNanos());
        } else {
            stopRepeat();
        }
    }

    /** The key comes up: its break code is sent (if the keyboard saw it go down) and its repeat stops. */
    public void release(Key key) {
        if (!held[key.ordinal()]) {
            return;
        }
        held[key.ordinal()] = false;
        if (repeating == key) {
            stopRepeat();
        }
        if (scanning) {
            sendScan(key.set2Break());
        }
    }

    /** True while the key is held down. */
    public boolean isHeld(Key key) {
        return held[key.ordinal()];
    }

    /** Sends raw scan code bytes as if keys produced them (in set 2 terms, translated if set 1 is selected). */
    public void sendSet2Codes(int... set2Bytes) {
        if (scanning) {
            sendScan(set2Bytes);
        }
    }

    /** Bytes (scan codes and replies) waiting to go to the controller. */
    public int pendingBytes() {
        return scanCount + replyCount;
    }

    public boolean scanning() {
        return scanning;
    }

    /** The scan code set the keyboard sends: 1 or 2. */
    public int scanSet() {
        return scanSet;
    }

    /** LED bits from the last EDh command: bit 0 Scroll Lock, bit 1 Num Lock, bit 2 Caps Lock. */
    public int leds() {
        return leds;
    }

    /** The typematic byte from the last F3h command (bits 6-5 delay, bits 4-0 rate). */
    public int typematic() {
        return typematic;
    }

    /** Delay before the first repeat: 250 ms times one more than bits 6-5 of the typematic byte. */
    public long typematicDelayNanos() {
        return ((typematic >> 5 & 3) + 1) * 250_000_000L;
    }

    /** Time between repeats: (8 + bits 2-0) * 2^(bits 4-3) / 240 s, from 33.3 ms (30 per second) to 500 ms. */
    public long typematicPeriodNanos() {
        long units = (8 + (typematic & 7)) * (1L << (typematic >> 3 & 3));
        return units * 1_000_000_000L / 240;
    }

    // ---- controller side ------------------------------------------------------------------------------------

    @Override
    public void receive(int b) {
        b &= 0xFF;
        if (awaitingParameter >= 0 && !isCommandInsteadOfParameter(b)) {
            int command = awaitingParameter;
            awaitingParameter = -1;
            parameter(command, b);
            return;
        }
        awaitingParameter = -1;
        command(b);
    }

    @Override
    public boolean hasOutput() {
        return replyCount > 0 || scanCount > 0;
    }

    @Override
    public int takeOutput() {
        int b;
        if (replyCount > 0) {
            b = replies[replyHead];
            replyHead = (replyHead + 1) % replies.length;
            replyCount--;
        } else if (scanCount > 0) {
            b = scanBuffer[scanHead];
            scanHead = (scanHead + 1) % BUFFER_SIZE;
            scanCount--;
        } else {
            throw new IllegalStateException("the keyboard has no byte waiting");
        }
        if (b != RESEND) {
            lastSent = b;
        }
        return b;
    }

    @Override
    public void setDataReadyListener(Runnable listener) {
        dataReady = listener == null ? () -> { } : listener;
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    private static boolean isCommandInsteadOfParameter(int b) {
        return b == 0xED || b == 0xEE || b >= 0xF0 && b != 0xF1;
    }

    private void command(int b) {
        switch (b) {
            case 0xED: // set LEDs
            case 0xF3: // set typematic rate and delay
            case 0xF0: // get or set scan code set
                awaitingParameter = b;
                reply(ACK);
                break;
            case 0xEE:
                reply(ECHO);
                break;
            case 0xF2: // identify: MF2 keyboard
                reply(ACK, 0xAB, 0x83);
                break;
            case 0xF4:
                clearScanBuffer();
                scanning = true;
                reply(ACK);
                break;
            case 0xF5:
                defaults();
                scanning = false;
                reply(ACK);
                break;
            case 0xF6:
                defaults();
                scanning = true;
                reply(ACK);
                break;
            case 0xF7: case 0xF8: case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0xFD:
                reply(ACK); // set 3 key types: accepted, no effect in sets 1 and 2
                break;
            case 0xFE:
                reply(lastSent < 0 ? RESEND : lastSent);
                break;
            case 0xFF:
                defaults();
                scanning = true;
                leds = 0;
                reply(ACK, SELF_TEST_PASSED);
                break;
            default:
                LOG.debug("keyboard command {}h is unknown: RESEND", Integer.toHexString(b));
                reply(RESEND);
        }
    }

    private void parameter(int command, int value) {
        switch (command) {
            case 0xED:
                leds = value & 7;
                reply(ACK);
                break;
            case 0xF3:
                typematic = value & 0x7F;
                reply(ACK);
                break;
            default: // F0
                if (value == 0) {
                    reply(ACK, scanSet);
                } else if (value == 1 || value == 2) {
                    scanSet = value;
                    clearScanBuffer();
                    reply(ACK);
                } else {
                    reply(RESEND); // set 3 is not offered
                }
        }
    }

    private void defaults() {
        clearScanBuffer();
        stopRepeat();
        java.util.Arrays.fill(held, false);
        typematic = DEFAULT_TYPEMATIC;
        scanSet = 2;
    }

    // ---- output ---------------------------------------------------------------------------------------------

    private void reply(int... bytes) {
        for (int b : bytes) {
            if (replyCount < replies.length) {
                replies[(replyHead + replyCount) % replies.length] = b;
                replyCount++;
            }
        }
        dataReady.run();
    }

    private void sendScan(int[] set2Bytes) {
        set1Encoder.reset();
        for (int b : set2Bytes) {
            int out = b & 0xFF;
            if (scanSet == 1) {
                out = set1Encoder.translate(out);
                if (out < 0) {
                    continue;
                }
            }
            enqueueScan(out);
        }
        dataReady.run();
    }

    private void enqueueScan(int b) {
        if (scanCount < BUFFER_SIZE) {
            scanBuffer[(scanHead + scanCount) % BUFFER_SIZE] = b;
            scanCount++;
            return;
        }
        // Overrun: the last slot reports it; the byte is lost.
        scanBuffer[(scanHead + BUFFER_SIZE - 1) % BUFFER_SIZE] = scanSet == 1 ? 0xFF : 0x00;
    }

    private void clearScanBuffer() {
        scanHead = 0;
        scanCount = 0;
    }

    private void stopRepeat() {
        repeating = null;
        scheduler.cancel(repeatEvent);
    }

    private void onRepeat(long deadline) {
        Key key = repeating;
        if (key == null || !held[key.ordinal()] || !scanning) {
            return;
        }
        sendScan(key.set2Make());
        scheduler.schedule(repeatEvent, deadline + typematicPeriodNanos());
    }
}
