package dev.strata.emulator.device.mouse;

import dev.strata.emulator.device.keyboard.Ps2Device;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PS/2 mouse on the 8042's auxiliary port: a standard mouse (device ID 00h, three buttons, 3-byte packets) until
 * the driver sets the sample rates 200, 100, 80 in a row, the IntelliMouse knock; from then on it is a wheel mouse
 * (ID 03h, a fourth packet byte with the wheel's counts, -8..7) until a reset. It takes relative motion, wheel turns
 * and button changes from the host side, and answers the mouse commands: reset (FFh: FAh AAh 00h), set
 * defaults (F6h), enable and disable data reporting (F4h/F5h), sample rate (F3h), resolution (E8h), scaling 1:1 and
 * 2:1 (E6h/E7h), identify (F2h), stream and remote mode (EAh/F0h), read data (EBh), status request (E9h), wrap mode
 * (EEh/ECh) and resend (FEh).
 *
 * <p>In stream mode with reporting enabled each host change sends a packet at once (the host sends changes no
 * faster than a mouse would); motion beyond what one packet holds (-255..255) and motion that finds the output
 * buffer full stay counted and go out in the next packets. In remote mode, or with reporting disabled, motion is
 * counted until a read data command (or reporting) takes it.
 */
@StateClass("dev.strata.emulator.device.mouse.Ps2Mouse")
public final class Ps2Mouse implements Ps2Device {

    private static final Logger LOG = LoggerFactory.getLogger(Ps2Mouse.class);

    public static final int ACK = 0xFA;
    public static final int RESEND = 0xFE;
    public static final int ERROR = 0xFC;
    public static final int SELF_TEST_PASSED = 0xAA;
    /** The standard PS/2 mouse's device ID. */
    public static final int DEVICE_ID = 0x00;
    /** The wheel mouse's (IntelliMouse) device ID, after the sample-rate knock 200, 100, 80. */
    public static final int WHEEL_DEVICE_ID = 0x03;
    public static final int LEFT = 0x01;
    public static final int RIGHT = 0x02;
    public static final int MIDDLE = 0x04;
    static final int DEFAULT_SAMPLE_RATE = 100;
    /** Resolution code 2: 4 counts per millimetre. */
    static final int DEFAULT_RESOLUTION = 2;
    private static final int MAX_DELTA = 255;
    /** A wheel packet byte holds -8..7 counts. */
    private static final int MAX_WHEEL = 7;
    private static final int[] WHEEL_KNOCK = {200, 100, 80};
    private static final int OUTPUT_SIZE = 16;

    @StateField("output") private final int[] output = new int[OUTPUT_SIZE];
    @StateField("outputHead") private int outputHead;
    @StateField("outputCount") private int outputCount;
    @StateField("reporting") private boolean reporting;
    @StateField("remote") private boolean remote;
    @StateField("wrap") private boolean wrap;
    @StateField("scaling21") private boolean scaling21;
    @StateField("sampleRate") private int sampleRate = DEFAULT_SAMPLE_RATE;
    @StateField("resolution") private int resolution = DEFAULT_RESOLUTION;
    /** The command whose parameter byte comes next, or -1. */
    @StateField("awaitingParameter") private int awaitingParameter = -1;
    @StateField("buttons") private int buttons;
    /** Motion not yet reported: right and up are positive, as packets count them. */
    @StateField("dx") private int dx;
    @StateField("dy") private int dy;
    /** Buttons changed since the last packet: a packet is due even without motion. */
    @StateField("buttonsChanged") private boolean buttonsChanged;
    @StateField("lastSent") private int lastSent = -1;
    /** 00h, or 03h once the driver knocked (files before section version 3 hold a standard mouse: 00h). */
    @StateField(value = "deviceId", since = 3) private int deviceId = DEVICE_ID;
    /** The last three sample rates set, the oldest first: the knock is looked for in them. */
    @StateField(value = "recentRates", since = 3) private final int[] recentRates = new int[3];
    /** Wheel counts not yet reported: positive turns toward the user (scrolls down), as packets count them. */
    @StateField(value = "dz", since = 3) private int dz;
    private transient Runnable dataReady = () -> { };

    // ---- host side ----------------------------------------------------------------------------------------

    /**
     * The mouse moved {@code right} counts to the right and {@code down} counts down (as host windows count; the
     * packet reports up as positive).
     */
    public void move(int right, int down) {
        dx = saturate((long) dx + right);
        dy = saturate((long) dy - down);
        report();
    }

    /**
     * The wheel turned {@code down} notches toward the user (negative: away, scrolling up). A standard mouse has no
     * wheel: until the driver turns the wheel mouse on, turns are dropped.
     */
    public void wheel(int down) {
        if (deviceId != WHEEL_DEVICE_ID) {
            return;
        }
        dz = saturate((long) dz + down);
        report();
    }

    /** The device ID identify (F2h) answers: {@link #DEVICE_ID}, or {@link #WHEEL_DEVICE_ID} after the knock. */
    public int deviceId() {
        return deviceId;
    }

    /** The buttons now held: {@link #LEFT}, {@link #RIGHT} and {@link #MIDDLE} or-ed together. */
    public void setButtons(int held) {
        held &= LEFT | RIGHT | MIDDLE;
        if (held != buttons) {
            buttons = held;
            buttonsChanged = true;
            report();
        }
    }

    public boolean reporting() {
        return reporting;
    }

    public boolean remoteMode() {
        return remote;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Resolution code 0-3: 1, 2, 4 or 8 counts per millimetre. */
    public int resolution() {
        return resolution;
    }

    public boolean scaling21() {
        return scaling21;
    }

    // ---- controller side ------------------------------------------------------------------------------------

    @Override
    public void receive(int b) {
        b &= 0xFF;
        if (wrap && b != 0xEC && b != 0xFF) {
            reply(b); // wrap mode echoes everything but "reset wrap mode" and "reset"
            return;
        }
        if (awaitingParameter >= 0) {
            int command = awaitingParameter;
            awaitingParameter = -1;
            parameter(command, b);
            return;
        }
        command(b);
    }

    @Override
    public boolean hasOutput() {
        return outputCount > 0;
    }

    @Override
    public int takeOutput() {
        if (outputCount == 0) {
            throw new IllegalStateException("the mouse has no byte waiting");
        }
        int b = output[outputHead];
        outputHead = (outputHead + 1) % OUTPUT_SIZE;
        outputCount--;
        if (b != RESEND) {
            lastSent = b;
        }
        if (outputCount == 0) {
            // motion that found the buffer full goes out now; the controller is taking bytes, so it needs no call
            queuePackets();
        }
        return b;
    }

    @Override
    public void setDataReadyListener(Runnable listener) {
        dataReady = listener == null ? () -> { } : listener;
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    private void command(int b) {
        switch (b) {
            case 0xE6 -> {
                scaling21 = false;
                reply(ACK);
            }
            case 0xE7 -> {
                scaling21 = true;
                reply(ACK);
            }
            case 0xE8, 0xF3 -> {
                awaitingParameter = b;
                reply(ACK);
            }
            case 0xE9 -> reply(ACK, statusByte(), resolution, sampleRate);
            case 0xEA -> {
                remote = false;
                clearMotion();
                reply(ACK);
            }
            case 0xEB -> {
                queue(ACK);
                sendPacket();
                dataReady.run();
            }
            case 0xEC -> {
                wrap = false;
                reply(ACK);
            }
            case 0xEE -> {
                wrap = true;
                clearMotion();
                reply(ACK);
            }
            case 0xF0 -> {
                remote = true;
                clearMotion();
                reply(ACK);
            }
            case 0xF2 -> {
                clearMotion();
                reply(ACK, deviceId);
            }
            case 0xF4 -> {
                reporting = true;
                clearMotion();
                reply(ACK);
            }
            case 0xF5 -> {
                reporting = false;
                clearMotion();
                reply(ACK);
            }
            case 0xF6 -> {
                defaults();
                reply(ACK);
            }
            case 0xFE -> reply(lastSent < 0 ? RESEND : lastSent);
            case 0xFF -> {
                defaults();
                wrap = false;
                remote = false;
                deviceId = DEVICE_ID;
                Arrays.fill(recentRates, 0);
                reply(ACK, SELF_TEST_PASSED, DEVICE_ID);
            }
            default -> {
                LOG.debug("mouse command {}h is unknown: RESEND", Integer.toHexString(b));
                reply(RESEND);
            }
        }
    }

    private void parameter(int command, int value) {
        if (command == 0xE8) {
            if (value > 3) {
                reply(ERROR);
                return;
            }
            resolution = value;
        } else {
            if (value != 10 && value != 20 && value != 40 && value != 60 && value != 80 && value != 100
                    && value != 200) {
                reply(ERROR);
                return;
            }
            sampleRate = value;
            System.arraycopy(recentRates, 1, recentRates, 0, recentRates.length - 1);
            recentRates[recentRates.length - 1] = value;
            if (Arrays.equals(recentRates, WHEEL_KNOCK)) {
                deviceId = WHEEL_DEVICE_ID;
            }
        }
        reply(ACK);
    }

    private void defaults() {
        reporting = false;
        scaling21 = false;
        sampleRate = DEFAULT_SAMPLE_RATE;
        resolution = DEFAULT_RESOLUTION;
        awaitingParameter = -1;
        clearMotion();
    }

    /** E9h's first byte: bit 6 remote mode, bit 5 reporting, bit 4 scaling 2:1, bits 2-0 left, middle, right. */
    private int statusByte() {
        return (remote ? 0x40 : 0) | (reporting ? 0x20 : 0) | (scaling21 ? 0x10 : 0)
                | ((buttons & LEFT) != 0 ? 0x04 : 0) | ((buttons & MIDDLE) != 0 ? 0x02 : 0)
                | ((buttons & RIGHT) != 0 ? 0x01 : 0);
    }

    /** Clears the output buffer and the counted motion, as commands that change the mode do. */
    private void clearMotion() {
        outputHead = 0;
        outputCount = 0;
        dx = 0;
        dy = 0;
        dz = 0;
        buttonsChanged = false;
    }

    // ---- packets ------------------------------------------------------------------------------------------

    /** In stream mode with reporting on, sends what the host did as packets and tells the controller. */
    private void report() {
        if (queuePackets()) {
            dataReady.run();
        }
    }

    /** Queues packets of the counted motion and buttons while there is room; true when it queued any. */
    private boolean queuePackets() {
        if (!reporting || remote || wrap) {
            return false;
        }
        boolean queued = false;
        while ((dx != 0 || dy != 0 || dz != 0 || buttonsChanged) && outputCount <= OUTPUT_SIZE - packetSize()) {
            sendPacket();
            queued = true;
        }
        return queued;
    }

    private int packetSize() {
        return deviceId == WHEEL_DEVICE_ID ? 4 : 3;
    }

    /**
     * Queues one packet of the motion counted so far (at most 255 each way) and the buttons, with the wheel's counts
     * (at most -8..7) as a fourth byte on a wheel mouse.
     */
    private void sendPacket() {
        int x = Math.max(-MAX_DELTA, Math.min(MAX_DELTA, dx));
        int y = Math.max(-MAX_DELTA, Math.min(MAX_DELTA, dy));
        int z = Math.max(-MAX_WHEEL - 1, Math.min(MAX_WHEEL, dz));
        dx -= x;
        dy -= y;
        dz -= z;
        buttonsChanged = false;
        if (scaling21 && !remote) {
            x = scale(x);
            y = scale(y);
        }
        // bit 3 always set; bits 2-0 middle, right, left as LEFT, RIGHT and MIDDLE number them; the sign bits
        queue(0x08 | buttons | (x < 0 ? 0x10 : 0) | (y < 0 ? 0x20 : 0), x & 0xFF, y & 0xFF);
        if (deviceId == WHEEL_DEVICE_ID) {
            queue(z & 0xFF);
        }
    }

    /** 2:1 scaling of stream packets: 1, 1, 3, 6, 9 for 1-5 counts, twice the count beyond (within 255). */
    private static int scale(int d) {
        int a = Math.abs(d);
        int s = switch (a) {
            case 0 -> 0;
            case 1, 2 -> 1;
            case 3 -> 3;
            case 4 -> 6;
            case 5 -> 9;
            default -> Math.min(MAX_DELTA, 2 * a);
        };
        return d < 0 ? -s : s;
    }

    private static int saturate(long v) {
        return (int) Math.max(-1_000_000, Math.min(1_000_000, v));
    }

    /** Queues a command's reply and tells the controller. */
    private void reply(int... bytes) {
        queue(bytes);
        dataReady.run();
    }

    private void queue(int... bytes) {
        for (int b : bytes) {
            if (outputCount < OUTPUT_SIZE) {
                output[(outputHead + outputCount) % OUTPUT_SIZE] = b;
                outputCount++;
            }
        }
    }
}
