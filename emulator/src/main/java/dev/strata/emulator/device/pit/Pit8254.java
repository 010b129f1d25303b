package dev.strata.emulator.device.pit;

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
 * The PC's Intel 8254 programmable interval timer at ports 40h-43h: three counters fed by the 1.193182 MHz clock
 * derived from virtual time. Counter 0's OUT drives IRQ 0; counter 2's gate and output belong to port 61h
 * ({@link SystemControlPort}); counter 1 (DRAM refresh on old PCs) drives nothing.
 *
 * <p>Counts and outputs are computed on demand from elapsed virtual time. The only event this device schedules is
 * counter 0's next output edge, so the IRQ 0 line carries every rising edge the guest programmed.
 */
@StateClass("dev.strata.emulator.device.pit.Pit8254")
public final class Pit8254 implements PortDevice, Device {

    private static final Logger LOG = LoggerFactory.getLogger(Pit8254.class);

    public static final int COUNTER0 = 0x40;
    public static final int COUNTER1 = 0x41;
    public static final int COUNTER2 = 0x42;
    public static final int CONTROL = 0x43;

    private final transient VirtualClock clock;
    private final transient EventScheduler scheduler;
    private final transient IrqLine irq0;
    @StateField("counters")
    private final PitCounter[] counters = {new PitCounter(0, true), new PitCounter(1, true), new PitCounter(2, false)};
    @StateField("counter0Edge")
    private final TimedEvent counter0Edge = new TimedEvent("pit.counter0", this::onCounter0Edge);
    @StateField("irqLevel") private boolean irqLevel;

    /**
     * @param scheduler where counter 0's output edges are scheduled (its clock is the time base)
     * @param irq0      the wire counter 0's OUT drives (IRQ 0 on a PC)
     */
    public Pit8254(EventScheduler scheduler, IrqLine irq0) {
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.irq0 = irq0;
        irqLevel = counters[0].output(tick());
        irq0.setLevel(irqLevel);
    }

    private long tick() {
        return PitTiming.ticksAt(clock.nanos());
    }

    @Override
    public int readPort(int port) {
        return switch (port) {
            case COUNTER0, COUNTER1, COUNTER2 -> counters[port - COUNTER0].readData(tick());
            default -> 0xFF; // the control word register cannot be read on an 8254
        };
    }

    @Override
    public void writePort(int port, int value) {
        switch (port) {
            case COUNTER0, COUNTER1, COUNTER2 -> {
                int index = port - COUNTER0;
                counters[index].writeData(tick(), value);
                if (index == 0) {
                    counter0Changed();
                }
            }
            case CONTROL -> control(value & 0xFF);
            default -> { }
        }
    }

    private void control(int value) {
        long now = tick();
        int select = value >>> 6;
        if (select == 3) {
            readBack(now, value);
            return;
        }
        PitCounter counter = counters[select];
        if ((value & 0x30) == 0) {
            counter.latchCount(now);
            return;
        }
        counter.control(now, value);
        LOG.trace("counter {}: mode {}{}", select, (value >>> 1) & 7, (value & 1) != 0 ? ", BCD" : "");
        if (select == 0) {
            counter0Changed();
        }
    }

    /** Read-back: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 select counters 0-2. */
    private void readBack(long now, int value) {
        for (int i = 0; i < 3; i++) {
            if ((value & (2 << i)) != 0) {
                if ((value & 0x20) == 0) {
                    counters[i].latchCount(now);
                }
                if ((value & 0x10) == 0) {
                    counters[i].latchStatus(now);
                }
            }
        }
    }

    /** Drives the GATE input of {@code counter} (counters 0 and 1 are tied high on a PC; counter 2 is port 61h bit 0). */
    public void setGate(int counter, boolean high) {
        counters[counter].setGate(tick(), high);
        if (counter == 0) {
            counter0Changed();
        }
    }

    public boolean gate(int counter) {
        return counters[counter].gate();
    }

    /** The OUT pin of {@code counter} now. */
    public boolean output(int counter) {
        return counters[counter].output(tick());
    }

    /** The counting element of {@code counter} now, as a number of input clocks (not BCD-encoded). */
    public int count(int counter) {
        return counters[counter].count(tick());
    }

    private void counter0Changed() {
        long now = tick();
        PitCounter c0 = counters[0];
        driveIrq(c0.output(now));
        scheduleAfter(now);
    }

    private void onCounter0Edge(long deadline) {
        long edge = PitTiming.ticksAt(deadline);
        PitCounter c0 = counters[0];
        c0.sync(edge);
        driveIrq(c0.output(edge));
        long period = c0.period();
        // when far behind (a host stall in realtime mode) skip whole periods instead of replaying every edge
        long from = period > 0 ? Math.max(edge, tick() - period) : edge;
        scheduleAfter(from);
    }

    private void scheduleAfter(long tick) {
        long next = counters[0].nextEventAfter(tick);
        if (next == Long.MAX_VALUE) {
            scheduler.cancel(counter0Edge);
        } else {
            scheduler.schedule(counter0Edge, PitTiming.nanosAt(next));
        }
    }

    private void driveIrq(boolean level) {
        if (level != irqLevel) {
            irqLevel = level;
            irq0.setLevel(level);
        }
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
        return "pit";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), COUNTER0, CONTROL - COUNTER0 + 1));
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("pit", this::saveState, this::loadState);
    }
}
