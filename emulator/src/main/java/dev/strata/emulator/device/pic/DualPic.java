package dev.strata.emulator.device.pic;

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
import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.device.PortDevice;

/**
 * The PC/AT interrupt controller: a master 8259A at 20h/21h and a slave at A0h/A1h whose INT drives the master's
 * IR2, plus the edge/level control registers at 4D0h/4D1h. Devices drive IRQ 0-15; the CPU asks
 * {@link #hasInterrupt()} and runs {@link #acknowledge()} to get the vector.
 */
@StateClass("dev.strata.emulator.device.pic.DualPic")
public final class DualPic implements PortDevice, Device {

    public static final int MASTER_COMMAND = 0x20;
    public static final int MASTER_DATA = 0x21;
    public static final int SLAVE_COMMAND = 0xA0;
    public static final int SLAVE_DATA = 0xA1;
    public static final int ELCR_MASTER = 0x4D0;
    public static final int ELCR_SLAVE = 0x4D1;
    /** The master input the slave is wired to. */
    public static final int CASCADE_IRQ = 2;

    @StateField("master") private final Pic8259 master = new Pic8259(true, 0xF8);
    @StateField("slave") private final Pic8259 slave = new Pic8259(false, 0xDE);
    private final transient IrqLine[] lines = new IrqLine[16];
    private transient IrqLine cpuIntr = IrqLine.NONE;

    public DualPic() {
        slave.connectOutput(high -> master.setInput(CASCADE_IRQ, high));
        master.connectOutput(high -> cpuIntr.setLevel(high));
        for (int i = 0; i < 16; i++) {
            int irq = i;
            lines[i] = high -> setIrqLevel(irq, high);
        }
    }

    /** The wire for IRQ {@code irq} (0..15), to hand to a device. */
    public IrqLine irqLine(int irq) {
        checkIrq(irq);
        return lines[irq];
    }

    /** Drives IRQ {@code irq} (0..15 except 2, which carries the slave's output). */
    public void setIrqLevel(int irq, boolean high) {
        checkIrq(irq);
        if (irq == CASCADE_IRQ) {
            throw new IllegalArgumentException("IRQ 2 is the cascade from the slave PIC; an ISA card's IRQ 2 is IRQ 9");
        }
        if (irq < 8) {
            master.setInput(irq, high);
        } else {
            slave.setInput(irq - 8, high);
        }
    }

    public void raiseIrq(int irq) {
        setIrqLevel(irq, true);
    }

    public void lowerIrq(int irq) {
        setIrqLevel(irq, false);
    }

    private static void checkIrq(int irq) {
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("IRQ must be 0..15, got " + irq);
        }
    }

    /** Notified whenever the CPU's INTR line changes, so the CPU loop can leave a block early. */
    public void connectCpu(IrqLine intr) {
        this.cpuIntr = intr;
        intr.setLevel(master.intActive());
    }

    /** The CPU's INTR line. */
    public boolean hasInterrupt() {
        return master.intActive();
    }

    /**
     * Both INTA cycles: returns the interrupt vector (0..255) and updates ISR. When the request vanished before the
     * acknowledge, returns the spurious vector of IRQ 7 (master) or IRQ 15 (slave, with the master's IR2 in service).
     */
    public int acknowledge() {
        int level = master.acknowledge();
        if (level < 0) {
            return master.vectorBase() | 7;
        }
        if (level == CASCADE_IRQ && !master.singleMode() && (master.icw3() & (1 << CASCADE_IRQ)) != 0) {
            int slaveLevel = slave.acknowledge();
            // the slave's INT drops during INTA: a request still pending there reaches the master as a new edge
            master.setInput(CASCADE_IRQ, false);
            master.setInput(CASCADE_IRQ, slave.intActive());
            return slave.vectorBase() | (slaveLevel < 0 ? 7 : slaveLevel);
        }
        return master.vectorBase() | level;
    }

    public Pic8259 master() {
        return master;
    }

    public Pic8259 slave() {
        return slave;
    }

    @Override
    public int readPort(int port) {
        return switch (port) {
            case MASTER_COMMAND, MASTER_DATA -> master.read(port & 1);
            case SLAVE_COMMAND, SLAVE_DATA -> slave.read(port & 1);
            case ELCR_MASTER -> master.elcr();
            case ELCR_SLAVE -> slave.elcr();
            default -> 0xFF;
        };
    }

    @Override
    public void writePort(int port, int value) {
        switch (port) {
            case MASTER_COMMAND, MASTER_DATA -> master.write(port & 1, value);
            case SLAVE_COMMAND, SLAVE_DATA -> slave.write(port & 1, value);
            case ELCR_MASTER -> master.setElcr(value);
            case ELCR_SLAVE -> slave.setElcr(value);
            default -> { }
        }
    }

    /** The ports the machine should route here. */
    public static int[] ports() {
        return new int[] {MASTER_COMMAND, MASTER_DATA, SLAVE_COMMAND, SLAVE_DATA, ELCR_MASTER, ELCR_SLAVE};
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
        return "pic";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return java.util.Arrays.stream(ports()).mapToObj(p -> ports(name(), p, 1)).toList();
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("pic", this::saveState, this::loadState);
    }
}
