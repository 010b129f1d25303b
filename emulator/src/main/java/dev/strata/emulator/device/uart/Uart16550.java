package dev.strata.emulator.device.uart;

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
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.device.PortDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A National Semiconductor 16550A UART as a PC serial port: eight registers at {@code base..base+7}, divisor latch,
 * 16-byte transmit and receive FIFOs with receive trigger levels, the four prioritized interrupt sources, loopback,
 * and receive paced at the programmed line rate in virtual time; transmit paced at the line rate too, or (what a
 * machine asks for by default) one character a microsecond whatever the rate, as QEMU's and VirtualBox's ports send:
 * a guest writing a console log at 115200 or 9600 baud with interrupts off otherwise waits for a line that is not
 * there, and Linux then loses timer ticks, finds its TSC drifting from the PIT and gives it up as unstable.
 *
 * <p>Transmitted bytes go to a {@link SerialSink} when their last stop bit leaves the shift register; received
 * bytes come from a {@link SerialSource}, one per character time, and are held back (not overrun) while the
 * receive FIFO is full. As on a PC, the interrupt reaches the PIC only while MCR.OUT2 is set and loopback is off.
 * The character timeout fires four character times after the last receive-side activity.
 *
 * <p>The line itself is perfect: no parity or framing errors, except that a break (set in loopback with LCR bit 6,
 * or sent by the host with {@link #receiveBreak()}) arrives as a zero character flagged BI and FE. As on the chip,
 * a character's error flags show in LSR when it reaches the top of the receive FIFO, and LSR bit 7 says an errored
 * character is still queued. DMA mode signalling is not modelled.
 */
@StateClass("dev.strata.emulator.device.uart.Uart16550")
public final class Uart16550 implements PortDevice, Device {

    private static final Logger LOG = LoggerFactory.getLogger(Uart16550.class);

    // register offsets
    public static final int RBR_THR_DLL = 0;
    public static final int IER_DLM = 1;
    public static final int IIR_FCR = 2;
    public static final int LCR = 3;
    public static final int MCR = 4;
    public static final int LSR = 5;
    public static final int MSR = 6;
    public static final int SCR = 7;

    // line status bits
    public static final int LSR_DR = 0x01;
    public static final int LSR_OE = 0x02;
    public static final int LSR_FE = 0x08;
    public static final int LSR_BI = 0x10;
    public static final int LSR_THRE = 0x20;
    public static final int LSR_TEMT = 0x40;
    public static final int LSR_FIFO_ERROR = 0x80;

    // interrupt identification values (bits 3-0)
    public static final int IIR_NONE = 0x01;
    public static final int IIR_LINE_STATUS = 0x06;
    public static final int IIR_RX_DATA = 0x04;
    public static final int IIR_TIMEOUT = 0x0C;
    public static final int IIR_THRE = 0x02;
    public static final int IIR_MODEM_STATUS = 0x00;

    /** The 1.8432 MHz crystal PC serial ports use; divisor 1 gives 115200 baud. */
    public static final long CRYSTAL_HZ = 1_843_200;

    private static final int[] RX_TRIGGER = {1, 4, 8, 14};

    private final int base;
    private final transient VirtualClock clock;
    private final transient EventScheduler scheduler;
    private final transient IrqLine irq;
    // the host side of the port belongs to this run, not to the machine
    private transient SerialSink sink;
    private transient SerialSource source = SerialSource.NONE;
    // how fast bytes leave belongs to the run too: a state saved with either pacing resumes with the other
    private transient boolean lineRateTransmit = true;
    /** Characters sent to the sink (or looped back) by this run: how a power-off sees that output has gone quiet. */
    private transient long transmitted;

    /** Virtual time one character takes to leave when the transmitter does not keep to the line rate. */
    public static final long FAST_CHARACTER_NANOS = 1_000;

    @StateField("rx") private final ByteFifo rx = new ByteFifo();
    @StateField("tx") private final ByteFifo tx = new ByteFifo();
    @StateField("txDone") private final TimedEvent txDone = new TimedEvent("uart.tx", this::onTransmitted);
    @StateField("rxArrival") private final TimedEvent rxArrival = new TimedEvent("uart.rx", this::onReceiveSlot);
    @StateField("rxTimeout") private final TimedEvent rxTimeout = new TimedEvent("uart.timeout", this::onTimeout);
    @StateField("loopbackBreak")
    private final TimedEvent loopbackBreak = new TimedEvent("uart.break", this::onLoopbackBreak);

    @StateField("divisor") private int divisor = 12;
    @StateField("ier") private int ier;
    @StateField("lcr") private int lcr;
    @StateField("mcr") private int mcr;
    @StateField("scr") private int scr;
    @StateField("fifoEnabled") private boolean fifoEnabled;
    @StateField("rxTrigger") private int rxTrigger = 1;
    @StateField("lineErrors") private int lineErrors;
    /** Characters in the receive FIFO that carry error flags (bits 8 and up of their FIFO entry). */
    @StateField("erroredInFifo") private int erroredInFifo;
    @StateField("lastRbr") private int lastRbr;
    @StateField("shifting") private boolean shifting;
    @StateField("shiftRegister") private int shiftRegister;
    @StateField("threPending") private boolean threPending;
    @StateField("timeoutPending") private boolean timeoutPending;
    @StateField("inputStalled") private boolean inputStalled;
    @StateField("hostModemInputs")
    private int hostModemInputs = 0xB0; // CTS, DSR, DCD asserted: a cable to a live terminal
    @StateField("msr") private int msr;
    @StateField("irqLevel") private boolean irqLevel;

    /**
     * @param base      first I/O port, e.g. {@link ComPort#base()}
     * @param scheduler time base and timers
     * @param irq       the interrupt wire (gated by MCR.OUT2 as a PC's serial card does)
     * @param sink      where transmitted bytes go
     */
    public Uart16550(int base, EventScheduler scheduler, IrqLine irq, SerialSink sink) {
        this.base = base;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.irq = irq;
        this.sink = sink;
        reset();
    }

    /** A UART at a standard COM port's address. */
    public Uart16550(ComPort port, EventScheduler scheduler, IrqLine irq, SerialSink sink) {
        this(port.base(), scheduler, irq, sink);
    }

    public int base() {
        return base;
    }

    /** Master reset: registers to their datasheet reset values; the divisor latch keeps its value. */
    public void reset() {
        ier = 0;
        lcr = 0;
        mcr = 0;
        fifoEnabled = false;
        rxTrigger = 1;
        rx.setCapacity(1);
        tx.setCapacity(1);
        lineErrors = 0;
        erroredInFifo = 0;
        shifting = false;
        threPending = false;
        timeoutPending = false;
        inputStalled = false;
        scheduler.cancel(txDone);
        scheduler.cancel(rxTimeout);
        scheduler.cancel(loopbackBreak);
        msr = modemInputs();
        updateIrq();
    }

    /**
     * True (the default of a bare UART): each transmitted character takes its time at the programmed rate, as on a
     * physical port. False: one {@link #FAST_CHARACTER_NANOS} each; receiving keeps to the line rate either way.
     */
    public void setLineRateTransmit(boolean lineRate) {
        this.lineRateTransmit = lineRate;
    }

    /** Time one transmitted character takes, in virtual nanoseconds. */
    public long transmitNanos() {
        return lineRateTransmit ? characterNanos() : FAST_CHARACTER_NANOS;
    }

    public void setSink(SerialSink sink) {
        this.sink = sink;
    }

    /** Connects the receive side; call {@link #inputAvailable()} whenever the source gets new bytes. */
    public void setSource(SerialSource source) {
        this.source = source;
    }

    /** The host queued input: start (or keep) receiving one character per character time. CPU thread only. */
    public void inputAvailable() {
        if (!rxArrival.isScheduled() && !inputStalled) {
            scheduler.schedule(rxArrival, clock.nanos() + characterNanos());
        }
    }

    /** The host side of the modem lines (ignored in loopback): bits 4-7 as in MSR (CTS, DSR, RI, DCD). */
    public void setModemInputs(boolean cts, boolean dsr, boolean ri, boolean dcd) {
        hostModemInputs = (cts ? 0x10 : 0) | (dsr ? 0x20 : 0) | (ri ? 0x40 : 0) | (dcd ? 0x80 : 0);
        updateModemStatus();
    }

    /** Time to send one character with the current divisor and line control, in virtual nanoseconds. */
    public long characterNanos() {
        int wordBits = 5 + (lcr & 3);
        int halfBits = 2 * (1 + wordBits) + ((lcr & 0x08) != 0 ? 2 : 0);
        if ((lcr & 0x04) == 0) {
            halfBits += 2;
        } else {
            halfBits += wordBits == 5 ? 3 : 4;
        }
        long div = divisor == 0 ? 0x10000 : divisor;
        return div * 16 * halfBits * 1_000_000_000L / (2 * CRYSTAL_HZ);
    }

    public int divisor() {
        return divisor;
    }

    // ---- ports ------------------------------------------------------------------------------------------------

    @Override
    public int readPort(int port) {
        int offset = port - base;
        if (offset < 0 || offset > 7) {
            return 0xFF;
        }
        boolean dlab = (lcr & 0x80) != 0;
        return switch (offset) {
            case RBR_THR_DLL -> dlab ? divisor & 0xFF : readRbr();
            case IER_DLM -> dlab ? divisor >> 8 & 0xFF : ier;
            case IIR_FCR -> readIir();
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> readLsr();
            case MSR -> readMsr();
            default -> scr;
        };
    }

    @Override
    public void writePort(int port, int value) {
        int offset = port - base;
        if (offset < 0 || offset > 7) {
            return;
        }
        value &= 0xFF;
        boolean dlab = (lcr & 0x80) != 0;
        switch (offset) {
            case RBR_THR_DLL -> {
                if (dlab) {
                    divisor = divisor & 0xFF00 | value;
                } else {
                    writeThr(value);
                }
            }
            case IER_DLM -> {
                if (dlab) {
                    divisor = divisor & 0x00FF | value << 8;
                } else {
                    writeIer(value);
                }
            }
            case IIR_FCR -> writeFcr(value);
            case LCR -> writeLcr(value);
            case MCR -> writeMcr(value);
            case LSR, MSR -> { } // factory test registers: writes have no defined effect
            default -> scr = value;
        }
    }

    // ---- transmit -------------------------------------------------------------------------------------------------

    private void writeThr(int value) {
        if (tx.isFull()) {
            // the guest ignored THRE: a plain holding register is overwritten, a full FIFO drops the byte
            LOG.debug("{}: the guest wrote {}h while the transmitter was full: {}", name(),
                    Integer.toHexString(value), fifoEnabled ? "dropped" : "it replaces the byte waiting");
            if (!fifoEnabled) {
                tx.overwriteNewest(value);
            }
        } else {
            tx.push(value);
        }
        threPending = false;
        if (!shifting) {
            startShifting();
        }
        updateIrq();
    }

    private void startShifting() {
        shiftRegister = tx.pop();
        shifting = true;
        if (tx.isEmpty()) {
            threPending = true;
        }
        scheduler.schedule(txDone, clock.nanos() + transmitNanos());
    }

    private void onTransmitted(long deadline) {
        shifting = false;
        transmitted++;
        if (loopback()) {
            receive(shiftRegister);
        } else {
            sink.write(shiftRegister);
        }
        if (!tx.isEmpty()) {
            shiftRegister = tx.pop();
            shifting = true;
            if (tx.isEmpty()) {
                threPending = true;
            }
            scheduler.schedule(txDone, deadline + transmitNanos());
        }
        updateIrq();
    }

    // ---- receive --------------------------------------------------------------------------------------------------

    private void onReceiveSlot(long deadline) {
        if (loopback() || rx.isFull()) {
            // the line is held: the host's bytes wait instead of overrunning the guest
            inputStalled = true;
            return;
        }
        int b = source.read();
        if (b < 0) {
            return;
        }
        receive(b & 0xFF);
        scheduler.schedule(rxArrival, deadline + characterNanos());
    }

    /** A character has arrived in the receive shift register. */
    private void receive(int b) {
        receive(b, 0);
    }

    /** A character with LSR error flags (FE, BI) has arrived. */
    private void receive(int b, int errors) {
        int entry = b | errors << 8;
        if (rx.isFull()) {
            lineErrors |= LSR_OE;
            if (!fifoEnabled) {
                erroredInFifo = errors != 0 ? 1 : 0;
                rx.overwriteNewest(entry);
                lineErrors |= errors;
            }
        } else {
            if (rx.isEmpty()) {
                lineErrors |= errors; // it is at the top of the FIFO at once
            }
            rx.push(entry);
            if (errors != 0) {
                erroredInFifo++;
            }
        }
        restartTimeout();
        updateIrq();
    }

    /** The host sends a break (e.g. a terminal's break key): the guest receives a zero flagged BI and FE. */
    public void receiveBreak() {
        if (!loopback()) {
            receive(0, LSR_BI | LSR_FE);
        }
    }

    private void writeLcr(int value) {
        boolean breakStarts = (value & 0x40) != 0 && (lcr & 0x40) == 0;
        lcr = value;
        if (breakStarts && loopback()) {
            scheduler.schedule(loopbackBreak, clock.nanos() + characterNanos());
        } else if ((value & 0x40) == 0) {
            scheduler.cancel(loopbackBreak);
        }
    }

    private void onLoopbackBreak(long deadline) {
        if ((lcr & 0x40) != 0 && loopback()) {
            receive(0, LSR_BI | LSR_FE);
        }
    }

    private int readRbr() {
        if (!rx.isEmpty()) {
            int entry = rx.pop();
            lastRbr = entry & 0xFF;
            if (entry > 0xFF) {
                erroredInFifo--;
            }
            if (!rx.isEmpty()) {
                lineErrors |= rx.peek() >> 8; // the next character's errors show as it reaches the top
            }
        }
        timeoutPending = false;
        restartTimeout();
        if (inputStalled && !rx.isFull()) {
            inputStalled = false;
            inputAvailable();
        }
        updateIrq();
        return lastRbr;
    }

    private void restartTimeout() {
        if (fifoEnabled && !rx.isEmpty()) {
            scheduler.schedule(rxTimeout, clock.nanos() + 4 * characterNanos());
        } else {
            scheduler.cancel(rxTimeout);
        }
    }

    private void onTimeout(long deadline) {
        if (fifoEnabled && !rx.isEmpty()) {
            timeoutPending = true;
            updateIrq();
        }
    }

    // ---- control and status ---------------------------------------------------------------------------------------

    private void writeIer(int value) {
        int enabledNow = value & ~ier;
        ier = value & 0x0F;
        if ((enabledNow & 0x02) != 0 && tx.isEmpty()) {
            // enabling the THRE interrupt while the holding register is empty raises it at once
            threPending = true;
        }
        updateIrq();
    }

    private void writeFcr(int value) {
        boolean enable = (value & 0x01) != 0;
        if (enable != fifoEnabled) {
            fifoEnabled = enable;
            rx.setCapacity(enable ? ByteFifo.DEPTH : 1);
            tx.setCapacity(enable ? ByteFifo.DEPTH : 1);
            erroredInFifo = 0;
            timeoutPending = false;
            scheduler.cancel(rxTimeout);
            threPending = true;
        }
        if (enable) {
            if ((value & 0x02) != 0) {
                rx.clear();
                erroredInFifo = 0;
                timeoutPending = false;
                scheduler.cancel(rxTimeout);
            }
            if ((value & 0x04) != 0) {
                tx.clear();
                threPending = true;
            }
            rxTrigger = RX_TRIGGER[value >> 6 & 3];
        }
        if (inputStalled && !rx.isFull()) {
            inputStalled = false;
            inputAvailable();
        }
        updateIrq();
    }

    private void writeMcr(int value) {
        boolean wasLoop = loopback();
        mcr = value & 0x1F;
        updateModemStatus();
        if (wasLoop && !loopback() && inputStalled) {
            inputStalled = false;
            inputAvailable();
        }
        updateIrq();
    }

    private boolean loopback() {
        return (mcr & 0x10) != 0;
    }

    /** MSR bits 4-7 as the pins are now: the host's lines, or MCR's outputs looped back. */
    private int modemInputs() {
        if (!loopback()) {
            return hostModemInputs;
        }
        return ((mcr & 0x02) != 0 ? 0x10 : 0) | ((mcr & 0x01) != 0 ? 0x20 : 0) | ((mcr & 0x04) != 0 ? 0x40 : 0)
                | ((mcr & 0x08) != 0 ? 0x80 : 0);
    }

    private void updateModemStatus() {
        int now = modemInputs();
        int changed = (msr ^ now) & 0xF0;
        int deltas = msr & 0x0F;
        if ((changed & 0x10) != 0) {
            deltas |= 0x01;
        }
        if ((changed & 0x20) != 0) {
            deltas |= 0x02;
        }
        if ((changed & 0x40) != 0 && (now & 0x40) == 0) {
            deltas |= 0x04; // trailing edge of ring indicator
        }
        if ((changed & 0x80) != 0) {
            deltas |= 0x08;
        }
        msr = now | deltas;
        updateIrq();
    }

    private int readMsr() {
        int value = msr;
        msr &= 0xF0;
        updateIrq();
        return value;
    }

    /** True when every byte the guest wrote has left the line (LSR.TEMT), read without LSR's side effects. */
    /** Characters this UART has sent since the machine was built (not kept in a saved state). */
    public long transmittedCount() {
        return transmitted;
    }

    public boolean transmitterEmpty() {
        return tx.isEmpty() && !shifting;
    }

    private int lsr() {
        int value = lineErrors;
        if (!rx.isEmpty()) {
            value |= LSR_DR;
        }
        if (fifoEnabled && erroredInFifo > 0) {
            value |= LSR_FIFO_ERROR;
        }
        if (tx.isEmpty()) {
            value |= LSR_THRE;
            if (!shifting) {
                value |= LSR_TEMT;
            }
        }
        return value;
    }

    private int readLsr() {
        int value = lsr();
        lineErrors = 0;
        updateIrq();
        return value;
    }

    /** The interrupt the IIR would report now, highest priority first. */
    private int interruptId() {
        if ((ier & 0x04) != 0 && lineErrors != 0) {
            return IIR_LINE_STATUS;
        }
        if ((ier & 0x01) != 0) {
            if (fifoEnabled ? rx.size() >= rxTrigger : !rx.isEmpty()) {
                return IIR_RX_DATA;
            }
            if (timeoutPending) {
                return IIR_TIMEOUT;
            }
        }
        if ((ier & 0x02) != 0 && threPending) {
            return IIR_THRE;
        }
        if ((ier & 0x08) != 0 && (msr & 0x0F) != 0) {
            return IIR_MODEM_STATUS;
        }
        return IIR_NONE;
    }

    private int readIir() {
        int id = interruptId();
        if (id == IIR_THRE) {
            threPending = false; // reading IIR while it reports THRE clears that interrupt
            updateIrq();
        }
        return id | (fifoEnabled ? 0xC0 : 0);
    }

    private void updateIrq() {
        boolean level = interruptId() != IIR_NONE && (mcr & 0x08) != 0 && !loopback();
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    /** True while the UART asks for an interrupt, whether or not OUT2 lets it reach the PIC. */
    public boolean interruptPending() {
        return interruptId() != IIR_NONE;
    }

    /**
     * Writes this device's state into a saved state (every state field, see {@link FieldCodec}). The host-side
     * serial sink and source stay those of the machine it is loaded into.
     */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /** Restores what {@link #saveState} wrote, re-arming this device's timers on the machine's scheduler. */
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
    }

    /** "com1".."com4" at a standard COM port's address, else "uart" and the base port. */
    @Override
    public String name() {
        for (ComPort com : ComPort.values()) {
            if (com.base() == base) {
                return com.name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return "uart" + Integer.toHexString(base).toUpperCase() + "h";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), base, 8));
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of(name(), this::saveState, this::loadState);
    }
}
