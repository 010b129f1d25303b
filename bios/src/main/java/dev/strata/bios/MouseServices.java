package dev.strata.bios;

import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * The pointing-device services of INT 15h AH=C2h, as DOS mouse drivers (CTMOUSE and others) use them, and the IRQ 12
 * handler's Java half: enable/disable (00h), reset (01h), sample rate (02h), resolution (03h), device type (04h),
 * initialize (05h), status and scaling (06h), set the far call handler (07h). The services talk to the mouse through
 * the 8042's ports with its interrupts off, as SeaBIOS does, and keep their state where IBM's BIOS keeps it, in the
 * EBDA: the handler at 22h, flags at 26h-27h, the packet being collected at 28h. So the Java side holds no state.
 *
 * <p>The ROM's IRQ 12 handler ({@link BiosRom#MOUSE_IRQ}) reads each byte from port 60h and hands it here
 * ({@link #irqByte}); when a packet is complete and a handler is installed, this answers with DX = 1 and the
 * packet's status, X and Y words and the handler's address in registers, and the ROM calls the handler with status,
 * X, Y and 0 pushed, as the PS/2 BIOS does.
 */
final class MouseServices {

    static final int EBDA_HANDLER = 0x22;
    static final int EBDA_FLAGS_1 = 0x26;
    static final int EBDA_FLAGS_2 = 0x27;
    static final int EBDA_PACKET = 0x28;
    /** Flags 2 bit 7: a far call handler is installed; bits 2-0: packet size less one. */
    static final int HANDLER_INSTALLED = 0x80;

    static final int SUCCESS = 0x00;
    static final int INVALID_FUNCTION = 0x01;
    static final int INVALID_INPUT = 0x02;
    static final int INTERFACE_ERROR = 0x03;
    static final int NEED_RESEND = 0x04;
    static final int NO_HANDLER = 0x05;

    private static final int[] SAMPLE_RATES = {10, 20, 40, 60, 80, 100, 200};
    private static final int ACK = 0xFA;

    private final PhysicalMemory mem;
    private final IoBus io;
    private final Kbc8042 kbc;
    private final BiosDataArea bda;

    MouseServices(PhysicalMemory mem, IoBus io, Kbc8042 kbc) {
        this.mem = mem;
        this.io = io;
        this.kbc = kbc;
        this.bda = new BiosDataArea(mem);
    }

    /** INT 15h AH=C2h: the function in AL. */
    void call(BiosCall c) {
        switch (c.al()) {
            case 0x00 -> enable(c);
            case 0x01 -> reset(c);
            case 0x02 -> {
                if (c.bh() >= SAMPLE_RATES.length) {
                    c.fail(INVALID_INPUT);
                } else {
                    answer(c, command(0xF3, SAMPLE_RATES[c.bh()], 0));
                }
            }
            case 0x03 -> {
                if (c.bh() > 3) {
                    c.fail(INVALID_INPUT);
                } else {
                    answer(c, command(0xE8, c.bh(), 0));
                }
            }
            case 0x04 -> {
                int[] id = command(0xF2, -1, 1);
                if (answer(c, id)) {
                    c.setBh(id[0]);
                }
            }
            case 0x05 -> initialize(c);
            case 0x06 -> extended(c);
            case 0x07 -> setHandler(c);
            default -> c.fail(INVALID_FUNCTION);
        }
    }

    private void enable(BiosCall c) {
        switch (c.bh()) {
            case 0x00 -> answer(c, command(0xF5, -1, 0));
            case 0x01 -> {
                if ((ebda(EBDA_FLAGS_2) & HANDLER_INSTALLED) == 0) {
                    c.fail(NO_HANDLER);
                } else {
                    answer(c, command(0xF4, -1, 0));
                }
            }
            default -> c.fail(INVALID_FUNCTION);
        }
    }

    private void reset(BiosCall c) {
        int[] reply = command(0xFF, -1, 2);
        if (answer(c, reply)) {
            c.setBl(reply[0]); // AAh: self test passed
            c.setBh(reply[1]); // the device ID
        }
    }

    /** AH=C2h AL=05h: BH is the packet size (1-8 bytes; 3 for a PS/2 mouse); then resets the mouse. */
    private void initialize(BiosCall c) {
        int size = c.bh();
        if (size < 1 || size > 8) {
            c.fail(INTERFACE_ERROR);
            return;
        }
        setEbda(EBDA_FLAGS_1, 0);
        setEbda(EBDA_FLAGS_2, ebda(EBDA_FLAGS_2) & HANDLER_INSTALLED | size - 1);
        reset(c);
    }

    private void extended(BiosCall c) {
        switch (c.bh()) {
            case 0x00 -> {
                int[] status = command(0xE9, -1, 3);
                if (answer(c, status)) {
                    c.setBl(status[0]);
                    c.setCl(status[1]);
                    c.setDl(status[2]);
                }
            }
            case 0x01 -> answer(c, command(0xE6, -1, 0));
            case 0x02 -> answer(c, command(0xE7, -1, 0));
            default -> c.fail(INVALID_FUNCTION);
        }
    }

    /** AH=C2h AL=07h: ES:BX is the far call handler; 0:0 removes it (and stops the mouse's reports). */
    private void setHandler(BiosCall c) {
        int flags = ebda(EBDA_FLAGS_2);
        if (c.es() == 0 && c.bx() == 0) {
            if ((flags & HANDLER_INSTALLED) != 0) {
                flags &= ~HANDLER_INSTALLED;
                command(0xF5, -1, 0);
            }
        } else {
            flags |= HANDLER_INSTALLED;
        }
        setEbda(EBDA_FLAGS_2, flags);
        mem.write16(ebdaBase() + EBDA_HANDLER, c.bx());
        mem.write16(ebdaBase() + EBDA_HANDLER + 2, c.es());
        c.ok();
    }

    /** Sets AH and CF for a command's outcome (null: the mouse did not answer); true on success. */
    private static boolean answer(BiosCall c, int[] reply) {
        if (reply == null) {
            c.fail(NEED_RESEND);
            return false;
        }
        c.ok();
        return true;
    }

    /**
     * IRQ 12, from the ROM handler with the byte read from port 60h in AL: collects it into the EBDA's packet and
     * returns DX = 1 with AX = status, BX = X, CX = Y, DI:SI = the handler when a packet is complete, else DX = 0.
     * A first byte without bit 3 set cannot start a PS/2 packet: it is dropped, which brings a driver that lost a
     * byte back in step.
     */
    void irqByte(BiosCall c) {
        c.setDx(0);
        int flags2 = ebda(EBDA_FLAGS_2);
        if ((flags2 & HANDLER_INSTALLED) == 0) {
            return;
        }
        int index = ebda(EBDA_FLAGS_1) & 0x07;
        int data = c.al();
        if (index == 0 && (data & 0x08) == 0 && (flags2 & 0x07) == 2) {
            return;
        }
        setEbda(EBDA_PACKET + index, data);
        if (index < (flags2 & 0x07)) {
            setEbda(EBDA_FLAGS_1, index + 1);
            return;
        }
        setEbda(EBDA_FLAGS_1, 0);
        c.setAx(ebda(EBDA_PACKET));
        c.setBx(ebda(EBDA_PACKET + 1));
        c.setCx(ebda(EBDA_PACKET + 2));
        c.setSi(mem.read16(ebdaBase() + EBDA_HANDLER));
        c.setDi(mem.read16(ebdaBase() + EBDA_HANDLER + 2));
        c.setDx(1);
    }

    /**
     * Sends {@code command} (and {@code parameter} unless negative) to the mouse through port 64h command D4h, with
     * both devices' interrupts and the keyboard off meanwhile, and reads {@code replies} bytes after the
     * acknowledgement. Returns them, or null when the mouse did not acknowledge. The mouse's enable and disable
     * commands also switch the controller's aux interrupt and interface on or off, as SeaBIOS does.
     */
    private int[] command(int command, int parameter, int replies) {
        int saved = kbc.commandByte();
        int quiet = (saved | Kbc8042.CMD_KEYBOARD_DISABLED) & ~(Kbc8042.CMD_KEYBOARD_INTERRUPT
                | Kbc8042.CMD_AUX_INTERRUPT | Kbc8042.CMD_AUX_DISABLED);
        writeCommandByte(quiet);
        while ((kbc.status() & Kbc8042.STATUS_OUTPUT_FULL) != 0) {
            kbc.readDataForFirmware(); // bytes from before: not part of this command's answer
        }
        int[] reply = send(command) && (parameter < 0 || send(parameter)) ? read(replies) : null;
        if (command == 0xF4) {
            saved = saved & ~Kbc8042.CMD_AUX_DISABLED | Kbc8042.CMD_AUX_INTERRUPT;
        } else if (command == 0xF5) {
            saved = saved & ~Kbc8042.CMD_AUX_INTERRUPT | Kbc8042.CMD_AUX_DISABLED;
        }
        writeCommandByte(saved);
        return reply;
    }

    private boolean send(int b) {
        io.out(Kbc8042.COMMAND_PORT, 1, 0xD4);
        io.out(Kbc8042.DATA_PORT, 1, b);
        int[] ack = read(1);
        return ack != null && ack[0] == ACK;
    }

    /** Reads {@code n} bytes from the auxiliary port; null when fewer are there (the 8042's answers come at once). */
    private int[] read(int n) {
        int[] bytes = new int[n];
        for (int i = 0; i < n; i++) {
            int status = kbc.status();
            if ((status & Kbc8042.STATUS_OUTPUT_FULL) == 0 || (status & Kbc8042.STATUS_AUX_OUTPUT_FULL) == 0) {
                return null;
            }
            bytes[i] = kbc.readDataForFirmware();
        }
        return bytes;
    }

    private void writeCommandByte(int value) {
        io.out(Kbc8042.COMMAND_PORT, 1, 0x60);
        io.out(Kbc8042.DATA_PORT, 1, value);
    }

    private int ebdaBase() {
        return bda.read16(BiosDataArea.EBDA_SEGMENT) << 4;
    }

    private int ebda(int offset) {
        return mem.read8(ebdaBase() + offset);
    }

    private void setEbda(int offset, int value) {
        mem.write8(ebdaBase() + offset, value);
    }
}
