package dev.strata.emulator.device.keyboard;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.clock.EventScheduler;
import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.device.PortDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 8042 keyboard controller of the PC/AT at ports 60h (data) and 64h (status on read, command on write), with an
 * {@link AtKeyboard} on its keyboard port and an optional device on its auxiliary (mouse) port.
 *
 * <p>Bytes from the keyboard move into the one-byte output buffer as soon as it is free and the keyboard interface
 * is enabled, translated from set 2 to set 1 when command byte bit 6 says so, and raise IRQ 1 when command byte
 * bit 0 allows; aux bytes raise IRQ 12. Host writes are handled at once, so the input buffer is never full. The
 * output port carries the A20 gate and the CPU reset line; a listener hears each change. Another listener hears the
 * guest read the keyboard (port 60h, or the firmware's keyboard services), which is when scripted typing starts.
 */
@StateClass(value = "dev.strata.emulator.device.keyboard.Kbc8042", retired = {"aux"})
public final class Kbc8042 implements PortDevice, Device {

    private static final Logger LOG = LoggerFactory.getLogger(Kbc8042.class);

    public static final int DATA_PORT = 0x60;
    public static final int STATUS_PORT = 0x64;
    public static final int COMMAND_PORT = 0x64;
    public static final int KEYBOARD_IRQ = 1;
    public static final int AUX_IRQ = 12;

    public static final int STATUS_OUTPUT_FULL = 0x01;
    public static final int STATUS_INPUT_FULL = 0x02;
    public static final int STATUS_SYSTEM = 0x04;
    public static final int STATUS_COMMAND = 0x08;
    public static final int STATUS_NOT_INHIBITED = 0x10;
    public static final int STATUS_AUX_OUTPUT_FULL = 0x20;
    public static final int STATUS_TIMEOUT = 0x40;

    public static final int CMD_KEYBOARD_INTERRUPT = 0x01;
    public static final int CMD_AUX_INTERRUPT = 0x02;
    public static final int CMD_SYSTEM = 0x04;
    public static final int CMD_KEYBOARD_DISABLED = 0x10;
    public static final int CMD_AUX_DISABLED = 0x20;
    public static final int CMD_TRANSLATE = 0x40;

    public static final int OUT_RESET = 0x01;
    public static final int OUT_A20 = 0x02;
    public static final int OUT_KEYBOARD_FULL = 0x10;
    public static final int OUT_AUX_FULL = 0x20;

    /**
     * Status reads in a row, with the output buffer empty and no other access to the controller between them, that
     * make a guest polling for a key without interrupts (a loop on bit 0 of port 64h) count as reading the keyboard.
     * Code that only waits for the input buffer before a command reads the status once or twice, then writes.
     */
    public static final int POLLS_FOR_INPUT = 16;

    /** Power-on command byte: translation on, keyboard interrupt on, system flag clear (cold boot). */
    public static final int POWER_ON_COMMAND_BYTE = CMD_TRANSLATE | CMD_KEYBOARD_INTERRUPT;
    /** Input port: keyboard not inhibited, colour display, no manufacturing jumper, 512+ KiB on the board. */
    static final int INPUT_PORT = 0xB0;
    /** Output port at power-on: reset line inactive, A20 gated off as on the IBM AT, clock and data lines high. */
    static final int POWER_ON_OUTPUT_PORT = 0xCD;

    private final transient IrqLine irq1;
    private final transient IrqLine irq12;
    @StateField("keyboard") private final AtKeyboard keyboard;
    /**
     * The device on the auxiliary port. Version 1 saved it as "aux", always empty (no build had a mouse): that key
     * is read and dropped, and a version 1 state keeps the machine's device as it powered on.
     */
    @StateField(value = "auxDevice", since = 2) private Ps2Device aux;
    @StateField("translator") private final ScanCodeTranslator translator = new ScanCodeTranslator();
    /** The controller's RAM: byte 0 is the command byte; 1-31 are reachable with 21h-3Fh / 61h-7Fh. */
    @StateField("ram") private final int[] ram = new int[32];

    @StateField("outputBuffer") private int outputBuffer;
    @StateField("outputFull") private boolean outputFull;
    @StateField("outputFromAux") private boolean outputFromAux;
    /** Bytes the controller itself produced (command results), bit 8 set for aux data; ahead of device bytes. */
    @StateField("controllerQueue") private final int[] controllerQueue = new int[8];
    @StateField("queueHead") private int queueHead;
    @StateField("queueCount") private int queueCount;
    @StateField("awaitingData") private int awaitingData = -1;
    @StateField("lastWriteWasCommand") private boolean lastWriteWasCommand;
    @StateField("timeout") private boolean timeout;
    @StateField("outputPort") private int outputPort = POWER_ON_OUTPUT_PORT;
    private transient A20Listener a20Listener = enabled -> { };
    private transient Runnable resetListener = () -> { };
    /** Wiring, not state: who waits for the guest to start reading the keyboard (transient keeps it out of saves). */
    private transient Runnable keyboardReadListener = () -> { };
    /** Status reads in a row that found the output buffer empty, with no other port access between them. */
    private transient int emptyStatusPolls;

    /**
     * @param scheduler the machine's scheduler, for the keyboard's typematic repeat
     * @param irq1      the keyboard interrupt wire
     * @param irq12     the auxiliary (mouse) interrupt wire
     */
    public Kbc8042(EventScheduler scheduler, IrqLine irq1, IrqLine irq12) {
        this.irq1 = irq1;
        this.irq12 = irq12;
        this.keyboard = new AtKeyboard(scheduler);
        keyboard.setDataReadyListener(this::fillOutputBuffer);
        ram[0] = POWER_ON_COMMAND_BYTE;
    }

    /** The keyboard plugged into the keyboard port: press and release keys here. */
    public AtKeyboard keyboard() {
        return keyboard;
    }

    /** The device on the auxiliary port (the machine's mouse), or null. */
    public Ps2Device aux() {
        return aux;
    }

    /** Plugs a device (a mouse) into the auxiliary port, or unplugs it with null. */
    public void attachAux(Ps2Device device) {
        if (aux != null) {
            aux.setDataReadyListener(null);
        }
        aux = device;
        if (device != null) {
            device.setDataReadyListener(this::fillOutputBuffer);
        }
    }

    /** Hears A20 gate changes (from D1h writes and DDh/DFh). */
    public void setA20Listener(A20Listener listener) {
        a20Listener = listener == null ? enabled -> { } : listener;
    }

    /** Hears CPU reset requests: a D1h write with bit 0 clear, or a pulse command (FEh) touching bit 0. */
    public void setResetListener(Runnable listener) {
        resetListener = listener == null ? () -> { } : listener;
    }

    /**
     * Hears the guest read the keyboard: every read of port 60h through the port bus, a loop of
     * {@link #POLLS_FOR_INPUT} status reads that find no byte waiting, and every keyboard service call the firmware
     * reports with {@link #reportKeyboardRead()}. Called on the CPU thread in the middle of an
     * instruction, so it must be quick; null removes it.
     */
    public void setKeyboardReadListener(Runnable listener) {
        keyboardReadListener = listener == null ? () -> { } : listener;
    }

    /** The firmware's keyboard services (INT 16h) were called: software reads keys through the BIOS. */
    public void reportKeyboardRead() {
        keyboardReadListener.run();
    }

    /**
     * Reads the data port as port 60h does, for the firmware's own housekeeping (emptying the replies to its POST
     * commands, reading the output port to switch A20): this is not software waiting for keys, so the keyboard-read
     * listener is not told.
     */
    public int readDataForFirmware() {
        return readData();
    }

    /** True when the A20 gate lets address line 20 through. */
    public boolean a20Enabled() {
        return (outputPort & OUT_A20) != 0;
    }

    public int commandByte() {
        return ram[0];
    }

    // ---- ports -------------------------------------------------------------------------------------------------

    @Override
    public int readPort(int port) {
        if (port == DATA_PORT) {
            emptyStatusPolls = 0;
            keyboardReadListener.run();
            return readData();
        }
        if (port == STATUS_PORT) {
            if (!outputFull && ++emptyStatusPolls == POLLS_FOR_INPUT) {
                keyboardReadListener.run();
            }
            return status();
        }
        return 0xFF;
    }

    @Override
    public void writePort(int port, int value) {
        emptyStatusPolls = 0;
        value &= 0xFF;
        if (port == DATA_PORT) {
            writeData(value);
        } else if (port == COMMAND_PORT) {
            writeCommand(value);
        }
    }

    /** The status register as port 64h reads it. */
    public int status() {
        return (outputFull ? STATUS_OUTPUT_FULL : 0)
                | (ram[0] & CMD_SYSTEM)
                | (lastWriteWasCommand ? STATUS_COMMAND : 0)
                | STATUS_NOT_INHIBITED
                | (outputFull && outputFromAux ? STATUS_AUX_OUTPUT_FULL : 0)
                | (timeout ? STATUS_TIMEOUT : 0);
    }

    private int readData() {
        int value = outputBuffer;
        if (outputFull) {
            outputFull = false;
            outputFromAux = false;
            updateIrqs();
            fillOutputBuffer();
        }
        return value;
    }

    private void writeData(int value) {
        lastWriteWasCommand = false;
        int command = awaitingData;
        awaitingData = -1;
        if (command < 0) {
            // Talking to the keyboard means driving its clock line, which enables the interface (as Bochs does).
            ram[0] &= ~CMD_KEYBOARD_DISABLED;
            keyboard.receive(value);
            fillOutputBuffer();
            return;
        }
        if (command == 0x60) {
            setCommandByte(value);
        } else if (command > 0x60 && command <= 0x7F) {
            ram[command & 0x1F] = value;
        } else if (command == 0xD1) {
            writeOutputPort(value);
        } else if (command == 0xD2) {
            queue(value, false);
        } else if (command == 0xD3) {
            queue(value, true);
        } else if (command == 0xD4) {
            if (aux != null) {
                aux.receive(value);
            } else {
                timeout = true; // nothing answers on the aux port
                queue(AtKeyboard.RESEND, true);
            }
        }
    }

    private void writeCommand(int command) {
        lastWriteWasCommand = true;
        awaitingData = -1;
        timeout = false;
        if (command >= 0x20 && command <= 0x3F) {
            queue(ram[command & 0x1F], false);
        } else if (command >= 0x60 && command <= 0x7F) {
            awaitingData = command;
        } else if (command >= 0xF0) {
            if ((command & OUT_RESET) == 0) {
                resetListener.run(); // the pulse drops the CPU reset line for 6 us
            }
        } else {
            switch (command) {
                case 0xA4 -> queue(0xF1, false); // no password installed
                case 0xA7 -> setCommandByte(ram[0] | CMD_AUX_DISABLED);
                case 0xA8 -> setCommandByte(ram[0] & ~CMD_AUX_DISABLED);
                case 0xA9, 0xAB -> queue(0x00, false); // interface tests pass
                case 0xAA -> {
                    ram[0] |= CMD_SYSTEM;
                    queue(0x55, false);
                }
                case 0xAD -> setCommandByte(ram[0] | CMD_KEYBOARD_DISABLED);
                case 0xAE -> setCommandByte(ram[0] & ~CMD_KEYBOARD_DISABLED);
                case 0xC0 -> queue(INPUT_PORT, false);
                case 0xD0 -> queue(outputPortValue(), false);
                case 0xD1, 0xD2, 0xD3, 0xD4 -> awaitingData = command;
                case 0xDD -> setA20(false);
                case 0xDF -> setA20(true);
                case 0xE0 -> queue(0x00, false); // test inputs: clock and data lines low
                default -> LOG.debug("controller command {}h is not implemented: ignored, as many 8042 clones"
                        + " do", Integer.toHexString(command)); // (not a warning: BIOSes probe for such commands)
            }
        }
    }

    // ---- command byte and output port ------------------------------------------------------------------------

    private void setCommandByte(int value) {
        ram[0] = value & 0x7F;
        updateIrqs();
        fillOutputBuffer();
    }

    private int outputPortValue() {
        return outputPort & ~(OUT_KEYBOARD_FULL | OUT_AUX_FULL)
                | (outputFull && !outputFromAux ? OUT_KEYBOARD_FULL : 0)
                | (outputFull && outputFromAux ? OUT_AUX_FULL : 0);
    }

    private void writeOutputPort(int value) {
        setA20((value & OUT_A20) != 0);
        outputPort = value | OUT_RESET;
        if ((value & OUT_RESET) == 0) {
            resetListener.run();
        }
    }

    private void setA20(boolean enabled) {
        boolean was = a20Enabled();
        outputPort = enabled ? outputPort | OUT_A20 : outputPort & ~OUT_A20;
        if (was != enabled) {
            a20Listener.a20Changed(enabled);
        }
    }

    // ---- output buffer ---------------------------------------------------------------------------------------

    private void queue(int value, boolean fromAux) {
        if (queueCount < controllerQueue.length) {
            controllerQueue[(queueHead + queueCount) % controllerQueue.length] = value | (fromAux ? 0x100 : 0);
            queueCount++;
        }
        fillOutputBuffer();
    }

    /** Moves the next waiting byte into the output buffer if it is free. */
    private void fillOutputBuffer() {
        while (!outputFull) {
            if (queueCount > 0) {
                int entry = controllerQueue[queueHead];
                queueHead = (queueHead + 1) % controllerQueue.length;
                queueCount--;
                load(entry & 0xFF, (entry & 0x100) != 0);
            } else if ((ram[0] & CMD_KEYBOARD_DISABLED) == 0 && keyboard.hasOutput()) {
                int b = keyboard.takeOutput();
                if ((ram[0] & CMD_TRANSLATE) != 0) {
                    b = translator.translate(b);
                    if (b < 0) {
                        continue; // a break prefix: the translated code comes with the next byte
                    }
                }
                load(b, false);
            } else if (aux != null && (ram[0] & CMD_AUX_DISABLED) == 0 && aux.hasOutput()) {
                load(aux.takeOutput(), true);
            } else {
                break;
            }
        }
    }

    private void load(int value, boolean fromAux) {
        outputBuffer = value;
        outputFull = true;
        outputFromAux = fromAux;
        updateIrqs();
    }

    private void updateIrqs() {
        irq1.setLevel(outputFull && !outputFromAux && (ram[0] & CMD_KEYBOARD_INTERRUPT) != 0);
        irq12.setLevel(outputFull && outputFromAux && (ram[0] & CMD_AUX_INTERRUPT) != 0);
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
        return "kbc";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), DATA_PORT, 1), ports(name(), STATUS_PORT, 1));
    }

    @Override
    public DeviceSection state() {
        // Version 2 saves the device on the auxiliary port (the PS/2 mouse) under a new key; version 3 the mouse's
        // device ID, recent sample rates and wheel counts (the wheel mouse).
        return new DeviceSection("kbc", 3, 1, this::saveState, this::loadState);
    }
}
