package dev.strata.emulator.device.pic;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Intel 8259A programmable interrupt controller in 8086 mode: initialization words ICW1-4, operation words
 * OCW1-3, IRR/ISR/IMR, fully nested priority with rotation, special mask mode, automatic EOI, poll command and
 * edge or level triggered inputs. {@link DualPic} wires two of them as a PC/AT does.
 *
 * <p>Edge triggering is modelled as the chip does it: a rising edge arms the input's edge-sense latch, and the
 * request stays in IRR only while the input is still high. A device that drops its line before the CPU
 * acknowledges therefore produces the datasheet's spurious IR7.
 */
@StateClass("dev.strata.emulator.device.pic.Pic8259")
public final class Pic8259 {

    private static final Logger LOG = LoggerFactory.getLogger(Pic8259.class);

    /** Port offsets: A0 = 0 (command/status) and A0 = 1 (data/mask). */
    public static final int COMMAND = 0;
    public static final int DATA = 1;

    private final boolean master;
    private transient IrqLine output = IrqLine.NONE;
    @StateField("outputLevel") private boolean outputLevel;

    @StateField("initStep") private int initStep;
    @StateField("expectIcw4") private boolean expectIcw4;
    @StateField("single") private boolean single;
    @StateField("ltim") private boolean ltim;
    @StateField("vectorBase") private int vectorBase;
    @StateField("icw3") private int icw3;
    @StateField("autoEoi") private boolean autoEoi;
    @StateField("rotateOnAutoEoi") private boolean rotateOnAutoEoi;
    @StateField("specialFullyNested") private boolean specialFullyNested;

    /**
     * All inputs masked until ICW1: an uninitialised 8259 interrupts nobody (as Bochs models it), so a ROM that
     * runs with IF set before programming the PICs is not hit by the timer's first edge.
     */
    @StateField("imr") private int imr = 0xFF;
    @StateField("isr") private int isr;
    @StateField("lines") private int lines;
    @StateField("edgeLatch") private int edgeLatch;
    @StateField("elcr") private int elcr;
    private final int elcrMask;
    @StateField("lowestPriority") private int lowestPriority = 7;
    @StateField("readIsr") private boolean readIsr;
    @StateField("pollPending") private boolean pollPending;
    @StateField("specialMask") private boolean specialMask;

    /**
     * @param master   true for the chip whose INT drives the CPU (special fully nested mode only applies there)
     * @param elcrMask which inputs the edge/level control register may switch to level mode
     */
    public Pic8259(boolean master, int elcrMask) {
        this.master = master;
        this.elcrMask = elcrMask & 0xFF;
    }

    /** Connects the chip's INT output (the CPU's INTR, or the master's cascade input). */
    public void connectOutput(IrqLine output) {
        this.output = output;
        output.setLevel(outputLevel);
    }

    // ---- inputs -------------------------------------------------------------------------------------------

    /** Drives input IR{@code n} (0..7) to {@code high}. */
    public void setInput(int n, boolean high) {
        int bit = 1 << n;
        boolean wasHigh = (lines & bit) != 0;
        if (high == wasHigh) {
            return;
        }
        if (high) {
            lines |= bit;
            edgeLatch |= bit;
        } else {
            lines &= ~bit;
        }
        updateOutput();
    }

    /** Interrupt request register: inputs that are high and, in edge mode, have seen a rising edge. */
    public int irr() {
        return lines & (levelPins() | edgeLatch);
    }

    public int isr() {
        return isr;
    }

    public int imr() {
        return imr;
    }

    public int vectorBase() {
        return vectorBase;
    }

    /** Level of the lowest-priority input (7 after initialization; moved by rotation). */
    public int lowestPriority() {
        return lowestPriority;
    }

    public boolean autoEoi() {
        return autoEoi;
    }

    public boolean specialFullyNested() {
        return specialFullyNested;
    }

    public boolean specialMaskMode() {
        return specialMask;
    }

    /** True when ICW1 asked for a single chip (no ICW3, no cascade). */
    public boolean singleMode() {
        return single;
    }

    /** ICW3 as written: on a master the inputs with a slave, on a slave its identity. */
    public int icw3() {
        return icw3;
    }

    /** True while an initialization sequence waits for ICW2-4. */
    public boolean initializing() {
        return initStep != 0;
    }

    /** The INT output: a request is pending that beats everything in service. */
    public boolean intActive() {
        return outputLevel;
    }

    public int elcr() {
        return elcr;
    }

    /** Edge/level control register (ports 4D0h/4D1h): a set bit makes that input level triggered. */
    public void setElcr(int value) {
        elcr = value & elcrMask;
        updateOutput();
    }

    private int levelPins() {
        return ltim ? 0xFF : elcr;
    }

    // ---- CPU side -------------------------------------------------------------------------------------------

    /**
     * The INTA sequence: picks the winning request, moves it from IRR to ISR (unless automatic EOI) and returns
     * its level, or -1 when no request is left (the spurious case; the vector is then base + 7 and ISR unchanged).
     */
    public int acknowledge() {
        int level = winningRequest();
        if (level < 0) {
            return -1;
        }
        int bit = 1 << level;
        edgeLatch &= ~bit;
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                lowestPriority = level;
            }
        } else {
            isr |= bit;
        }
        updateOutput();
        return level;
    }

    private int priority(int level) {
        return (level - lowestPriority - 1) & 7;
    }

    /** Highest-priority unmasked request that may interrupt what is in service, or -1. */
    private int winningRequest() {
        int pending = irr() & ~imr;
        if (pending == 0) {
            return -1;
        }
        int blocking = isr;
        if (specialMask) {
            blocking &= ~imr;
        }
        for (int p = 0; p < 8; p++) {
            int level = (lowestPriority + 1 + p) & 7;
            int bit = 1 << level;
            if ((blocking & bit) != 0) {
                // special fully nested mode lets a slave interrupt its own, lower-priority, in-service request
                boolean sameSlave = master && specialFullyNested && (icw3 & bit) != 0 && (pending & bit) != 0;
                return sameSlave ? level : -1;
            }
            if ((pending & bit) != 0) {
                return level;
            }
        }
        return -1;
    }

    private int highestInService() {
        for (int p = 0; p < 8; p++) {
            int level = (lowestPriority + 1 + p) & 7;
            if ((isr & (1 << level)) != 0) {
                return level;
            }
        }
        return -1;
    }

    private void updateOutput() {
        boolean level = winningRequest() >= 0;
        if (level != outputLevel) {
            outputLevel = level;
            output.setLevel(level);
        }
    }

    // ---- ports --------------------------------------------------------------------------------------------

    /** Reads offset 0 (IRR, ISR or the poll byte) or 1 (IMR). */
    public int read(int offset) {
        if ((offset & 1) == DATA) {
            return imr;
        }
        if (pollPending) {
            pollPending = false;
            int level = acknowledge();
            return level < 0 ? 0 : 0x80 | level;
        }
        return readIsr ? isr : irr();
    }

    /** Writes offset 0 (ICW1, OCW2, OCW3) or 1 (ICW2-4, OCW1). */
    public void write(int offset, int value) {
        value &= 0xFF;
        if ((offset & 1) == DATA) {
            writeData(value);
        } else if ((value & 0x10) != 0) {
            icw1(value);
        } else if ((value & 0x08) != 0) {
            ocw3(value);
        } else {
            ocw2(value);
        }
    }

    private void icw1(int value) {
        ltim = (value & 0x08) != 0;
        single = (value & 0x02) != 0;
        expectIcw4 = (value & 0x01) != 0;
        edgeLatch = 0;
        imr = 0;
        isr = 0;
        lowestPriority = 7;
        specialMask = false;
        readIsr = false;
        pollPending = false;
        rotateOnAutoEoi = false;
        if (!expectIcw4) {
            autoEoi = false;
            specialFullyNested = false;
        }
        initStep = 2;
        updateOutput();
        LOG.debug("{} PIC: ICW1 {}h ({}-triggered{}{})", master ? "master" : "slave", Integer.toHexString(value),
                ltim ? "level" : "edge", single ? ", single" : "", expectIcw4 ? ", ICW4 follows" : "");
    }

    private void writeData(int value) {
        switch (initStep) {
            case 2 -> {
                vectorBase = value & 0xF8;
                initStep = !single ? 3 : expectIcw4 ? 4 : 0;
            }
            case 3 -> {
                icw3 = value;
                initStep = expectIcw4 ? 4 : 0;
            }
            case 4 -> {
                // 8086 mode (bit 0) is assumed; buffered mode (bit 3) has no effect without a data bus
                autoEoi = (value & 0x02) != 0;
                specialFullyNested = (value & 0x10) != 0;
                initStep = 0;
            }
            default -> imr = value;
        }
        updateOutput();
    }

    private void ocw2(int value) {
        int level = value & 7;
        switch (value >>> 5) {
            case 0b001 -> eoi(highestInService(), false);
            case 0b011 -> eoi(level, false);
            case 0b101 -> eoi(highestInService(), true);
            case 0b111 -> eoi(level, true);
            case 0b100 -> rotateOnAutoEoi = true;
            case 0b000 -> rotateOnAutoEoi = false;
            case 0b110 -> lowestPriority = level;
            default -> { } // 010: no operation
        }
        updateOutput();
    }

    private void eoi(int level, boolean rotate) {
        if (level < 0) {
            return;
        }
        isr &= ~(1 << level);
        if (rotate) {
            lowestPriority = level;
        }
    }

    private void ocw3(int value) {
        if ((value & 0x04) != 0) {
            pollPending = true;
        }
        if ((value & 0x02) != 0) {
            readIsr = (value & 0x01) != 0;
        }
        if ((value & 0x40) != 0) {
            specialMask = (value & 0x20) != 0;
        }
        updateOutput();
    }

    @Override
    public String toString() {
        return String.format("%s[irr=%02x isr=%02x imr=%02x base=%02x]", master ? "master" : "slave", irr(), isr, imr,
                vectorBase);
    }
}
