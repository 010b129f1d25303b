package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.CONTROL_HOB;
import static dev.strata.emulator.device.ata.AtaRegisters.CONTROL_NIEN;
import static dev.strata.emulator.device.ata.AtaRegisters.CONTROL_SRST;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_BSY;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.util.function.BooleanSupplier;

/**
 * One ATA channel: the cable with a master and a slave, its command block (eight ports), its control block
 * (alternate status / device control), its interrupt wire and its half of the bus-master engine.
 *
 * <p>As on the cable, both devices latch every taskfile write and only the selected device answers reads and
 * drives INTRQ. An empty position reads status and error 00h, so drivers see no device there; its taskfile still
 * echoes writes. EXECUTE DEVICE DIAGNOSTIC and SRST reset both devices, which put their signatures in their
 * registers and leave the master selected.
 */
@StateClass("dev.strata.emulator.device.ata.IdeChannel")
public final class IdeChannel implements AtaLink {

    private final int index;
    private final transient IrqLine irq;
    @StateField("regs") private final TaskFile[] regs = {new TaskFile(), new TaskFile()};
    @StateField("devices") private final IdeDevice[] devices = new IdeDevice[2];
    @StateField("busMaster") private final BusMasterChannel busMaster;
    private final transient IoPortHandler commandBlock = new CommandBlock();
    private final transient IoPortHandler controlBlock = new ControlBlock();
    @StateField("selected") private int selected;
    @StateField("control") private int control;
    @StateField("inReset") private boolean inReset;
    @StateField("irqLevel") private boolean irqLevel;

    IdeChannel(int index, IrqLine irq, DmaMemory memory, BooleanSupplier busMasterAllowed) {
        this.index = index;
        this.irq = irq == null ? IrqLine.NONE : irq;
        this.busMaster = new BusMasterChannel(this, memory, busMasterAllowed);
        setAbsentSignature(0);
        setAbsentSignature(1);
    }

    /** The eight command block ports (base 1F0h or 170h); the handler uses {@code port & 7}. */
    public IoPortHandler commandBlock() {
        return commandBlock;
    }

    /** The control block port (3F6h or 376h). */
    public IoPortHandler controlBlock() {
        return controlBlock;
    }

    /** The device at {@code position} (0 master, 1 slave), or null. */
    public IdeDevice device(int position) {
        return devices[checkPosition(position)];
    }

    public BusMasterChannel busMaster() {
        return busMaster;
    }

    /** True while the interrupt wire is high. */
    public boolean irqAsserted() {
        return irqLevel;
    }

    void attach(int position, IdeDevice device) {
        checkPosition(position);
        if (devices[position] != null) {
            throw new IllegalStateException("IDE " + (index == 0 ? "primary" : "secondary") + " "
                    + (position == 0 ? "master" : "slave") + " already holds a device; detach it first");
        }
        device.attach(this, regs[position], position,
                "ide" + index + (position == 0 ? "-master" : "-slave"));
        devices[position] = device;
        device.powerOnDefaults();
        regs[position].setSignature(device.isPacketDevice());
    }

    void detach(int position) {
        checkPosition(position);
        devices[position] = null;
        setAbsentSignature(position);
        updateIrq();
    }

    /** Hardware reset: devices back to power-on settings, registers cleared, bus master idle, wire low. */
    void reset() {
        control = 0;
        inReset = false;
        selected = 0;
        for (int i = 0; i < 2; i++) {
            regs[i].clear();
            if (devices[i] != null) {
                devices[i].powerOnDefaults();
                regs[i].setSignature(devices[i].isPacketDevice());
            } else {
                setAbsentSignature(i);
            }
        }
        busMaster.reset();
        updateIrq();
    }

    private void setAbsentSignature(int position) {
        TaskFile r = regs[position];
        r.count = 1;
        r.lbaLow = 1;
        r.lbaMid = 0xFF;
        r.lbaHigh = 0xFF;
        r.device = 0;
    }

    // --- registers ----------------------------------------------------------------------------------------

    int readRegister(int register) {
        IdeDevice dev = devices[selected];
        switch (register) {
            case AtaRegisters.DATA:
                return dev == null || inReset ? 0xFFFF : dev.readData();
            case AtaRegisters.ERROR_FEATURES:
                return dev == null ? 0 : dev.error;
            case AtaRegisters.STATUS_COMMAND: {
                if (dev == null) {
                    return 0;
                }
                if (inReset) {
                    return STATUS_BSY;
                }
                if (dev.interruptPending) {
                    dev.interruptPending = false; // reading status acknowledges the interrupt
                    updateIrq();
                }
                return dev.status;
            }
            default:
                return regs[selected].read(register, (control & CONTROL_HOB) != 0);
        }
    }

    void writeRegister(int register, int value) {
        if (inReset) {
            return; // the devices are busy; writes go nowhere
        }
        switch (register) {
            case AtaRegisters.DATA -> {
                IdeDevice dev = devices[selected];
                if (dev != null) {
                    dev.writeData(value);
                }
            }
            case AtaRegisters.STATUS_COMMAND -> command(value & 0xFF);
            default -> {
                regs[0].write(register, value);
                regs[1].write(register, value);
                control &= ~CONTROL_HOB; // a taskfile write clears HOB
                if (register == AtaRegisters.DEVICE) {
                    selected = (value & AtaRegisters.DEVICE_DEV) != 0 ? 1 : 0;
                    updateIrq();
                }
            }
        }
    }

    int alternateStatus() {
        IdeDevice dev = devices[selected];
        if (dev == null) {
            return 0;
        }
        return inReset ? STATUS_BSY : dev.status;
    }

    void writeDeviceControl(int value) {
        boolean wasReset = (control & CONTROL_SRST) != 0;
        control = value & (CONTROL_NIEN | CONTROL_SRST | CONTROL_HOB);
        boolean reset = (control & CONTROL_SRST) != 0;
        if (reset && !wasReset) {
            inReset = true;
            for (IdeDevice dev : devices) {
                if (dev != null) {
                    dev.cancel();
                }
            }
        } else if (!reset && wasReset) {
            inReset = false;
            resetDevices();
        }
        updateIrq();
    }

    private void command(int command) {
        if (command == AtaCommands.EXECUTE_DEVICE_DIAGNOSTIC && (devices[0] != null || devices[1] != null)) {
            // both devices run it, whichever is selected; the master (or a lone slave) reports
            resetDevices();
            IdeDevice reporter = devices[0] != null ? devices[0] : devices[1];
            reporter.raiseInterrupt();
            return;
        }
        IdeDevice dev = devices[selected];
        if (dev == null) {
            return; // nobody there to take it
        }
        dev.interruptPending = false; // writing the command register acknowledges an interrupt
        updateIrq();
        dev.executeCommand(command);
    }

    /** Both devices run their reset and diagnostics; the master ends up selected, as the signature says. */
    private void resetDevices() {
        selected = 0;
        for (int i = 0; i < 2; i++) {
            if (devices[i] != null) {
                devices[i].softReset();
            } else {
                setAbsentSignature(i);
            }
        }
    }

    // --- interrupts and DMA -------------------------------------------------------------------------------

    /** A device asked for an interrupt. */
    @Override
    public void deviceInterrupt() {
        if ((control & CONTROL_NIEN) == 0) {
            busMaster.interruptSeen();
        }
        updateIrq();
    }

    private void updateIrq() {
        IdeDevice dev = devices[selected];
        boolean level = dev != null && dev.interruptPending && !inReset && (control & CONTROL_NIEN) == 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    /** A device has data for (or room for) the bus master. */
    @Override
    public void dmaReady() {
        busMaster.run();
    }

    /** The device the bus master serves: the selected one, if it waits for DMA. */
    IdeDevice dmaDevice() {
        IdeDevice dev = devices[selected];
        return dev != null && dev.dmaWaiting() ? dev : null;
    }

    private static int checkPosition(int position) {
        if (position != 0 && position != 1) {
            throw new IllegalArgumentException("IDE position " + position + " is not 0 (master) or 1 (slave)");
        }
        return position;
    }

    /** Port accesses of 16 and 32 bits to the data port move two and four bytes; elsewhere they split in bytes. */
    private final class CommandBlock implements IoPortHandler {
        @Override
        public int in(int port, int size) {
            int register = port & 7;
            if (register == AtaRegisters.DATA) {
                int lo = readRegister(AtaRegisters.DATA);
                return size == 4 ? lo | readRegister(AtaRegisters.DATA) << 16 : lo;
            }
            int value = 0;
            for (int i = 0; i < size && register + i <= 7; i++) {
                value |= (readRegister(register + i) & 0xFF) << (8 * i);
            }
            return value;
        }

        @Override
        public void out(int port, int size, int value) {
            int register = port & 7;
            if (register == AtaRegisters.DATA) {
                writeRegister(AtaRegisters.DATA, value & 0xFFFF);
                if (size == 4) {
                    writeRegister(AtaRegisters.DATA, value >>> 16);
                }
                return;
            }
            for (int i = 0; i < size && register + i <= 7; i++) {
                writeRegister(register + i, value >>> (8 * i));
            }
        }
    }

    private final class ControlBlock implements IoPortHandler {
        @Override
        public int in(int port, int size) {
            return alternateStatus();
        }

        @Override
        public void out(int port, int size, int value) {
            writeDeviceControl(value & 0xFF);
        }
    }
}
