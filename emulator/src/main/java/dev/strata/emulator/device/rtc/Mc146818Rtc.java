package dev.strata.emulator.device.rtc;

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
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MC146818 real-time clock and its 128 bytes of CMOS RAM at ports 70h (index, bit 7 masks NMI) and 71h (data).
 *
 * <p>Time is the start time given at construction plus virtual time, never the host clock. The divider chain runs
 * at 32.768 kHz from an origin in virtual time; seconds advance on its second boundaries. The status flags of
 * register C (periodic, alarm, update-ended) are worked out lazily from virtual time when anything looks at them,
 * and a timer event is scheduled only while one of them is enabled as an interrupt on IRQ 8, so an idle RTC costs
 * nothing. While the SET bit is on or the divider is stopped, registers 0-9 are plain bytes the guest may write;
 * when time runs again they are read back as the new time.
 */
@StateClass("dev.strata.emulator.device.rtc.Mc146818Rtc")
public final class Mc146818Rtc implements PortDevice, Device {

    private static final Logger LOG = LoggerFactory.getLogger(Mc146818Rtc.class);

    public static final int INDEX_PORT = 0x70;
    public static final int DATA_PORT = 0x71;
    /** The PC routes the RTC's interrupt to IRQ 8. */
    public static final int IRQ = 8;

    public static final int REG_SECONDS = 0x00;
    public static final int REG_SECONDS_ALARM = 0x01;
    public static final int REG_MINUTES = 0x02;
    public static final int REG_MINUTES_ALARM = 0x03;
    public static final int REG_HOURS = 0x04;
    public static final int REG_HOURS_ALARM = 0x05;
    public static final int REG_DAY_OF_WEEK = 0x06;
    public static final int REG_DAY_OF_MONTH = 0x07;
    public static final int REG_MONTH = 0x08;
    public static final int REG_YEAR = 0x09;
    public static final int REG_A = 0x0A;
    public static final int REG_B = 0x0B;
    public static final int REG_C = 0x0C;
    public static final int REG_D = 0x0D;
    /** The IBM century byte; plain CMOS RAM the firmware keeps, read back when the guest sets the date. */
    public static final int REG_CENTURY = 0x32;

    public static final int A_UIP = 0x80;
    public static final int B_SET = 0x80;
    public static final int B_PIE = 0x40;
    public static final int B_AIE = 0x20;
    public static final int B_UIE = 0x10;
    public static final int B_SQWE = 0x08;
    public static final int B_BINARY = 0x04;
    public static final int B_24_HOUR = 0x02;
    public static final int B_DST = 0x01;
    public static final int C_IRQF = 0x80;
    public static final int C_PF = 0x40;
    public static final int C_AF = 0x20;
    public static final int C_UF = 0x10;
    public static final int D_VRT = 0x80;

    private static final int MIN_CENTURY = 19;
    private static final int MAX_CENTURY = 30;
    private static final int[] TIME_REGISTERS = {REG_SECONDS, REG_MINUTES, REG_HOURS, REG_DAY_OF_WEEK,
        REG_DAY_OF_MONTH, REG_MONTH, REG_YEAR};

    /** Divider bits 6-4 of register A: 010 is the 32.768 kHz time base; 11x holds the chain in reset. */
    private static final int DIVIDER_32K = 0x20;

    private final transient VirtualClock clock;
    private final transient EventScheduler scheduler;
    private final transient IrqLine irq;
    @StateField("interruptEvent")
    private final TimedEvent interruptEvent = new TimedEvent("rtc.interrupt", deadline -> onInterruptEvent());
    @StateField("ram") private final byte[] ram = new byte[128];

    @StateField("index") private int index;
    @StateField("nmiMasked") private boolean nmiMasked;
    @StateField("regA") private int regA = 0x26;
    @StateField("regB") private int regB = B_24_HOUR;
    @StateField("flags") private int flags;
    @StateField("validRam") private boolean validRam = true;
    @StateField("irqHigh") private boolean irqHigh;

    /** Virtual nanosecond at which divider tick 0 falls; seconds change every 32768 ticks from here. */
    @StateField("origin") private long origin;
    /** Epoch second (UTC-based wall time) shown during the first second after {@link #origin}. */
    @StateField("secondsAtOrigin") private long secondsAtOrigin;
    /** Divider tick up to which the lazy flags of register C have been worked out. */
    @StateField("checkedTick") private long checkedTick;
    /** Added to the day of week derived from the date, after the guest wrote a day of week of its own. */
    @StateField("dayOfWeekOffset") private int dayOfWeekOffset;

    /**
     * @param scheduler the machine's event scheduler; the RTC reads its clock
     * @param irq8      the interrupt wire (IRQ 8 on a PC)
     * @param start     the wall-clock time the RTC shows at virtual time zero (or now, if the clock has run)
     */
    public Mc146818Rtc(EventScheduler scheduler, IrqLine irq8, LocalDateTime start) {
        if (scheduler == null || irq8 == null || start == null) {
            throw new IllegalArgumentException("the RTC needs a scheduler, an IRQ line and a start time");
        }
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.irq = irq8;
        origin = clock.nanos();
        secondsAtOrigin = start.toEpochSecond(ZoneOffset.UTC);
        ram[REG_CENTURY] = (byte) toBcd(start.getYear() / 100 % 100);
    }

    // ---- ports -------------------------------------------------------------------------------------------

    @Override
    public int readPort(int port) {
        if (port != DATA_PORT) {
            return 0xFF; // the index register is write-only
        }
        return readRegister(index);
    }

    @Override
    public void writePort(int port, int value) {
        if (port == INDEX_PORT) {
            index = value & 0x7F;
            nmiMasked = (value & 0x80) != 0;
        } else if (port == DATA_PORT) {
            writeRegister(index, value & 0xFF);
        }
    }

    /** True when the last index write had bit 7 set: the non-maskable interrupt is masked. */
    public boolean nmiMasked() {
        return nmiMasked;
    }

    /** The register the next port 71h access goes to. */
    public int selectedIndex() {
        return index;
    }

    /** Reads register {@code reg} (0..127) as the guest would through port 71h, with the same side effects. */
    public int readRegister(int reg) {
        catchUp();
        switch (reg) {
            case REG_A:
                return regA | (updateInProgress() ? A_UIP : 0);
            case REG_B:
                return regB;
            case REG_C:
                return readAndClearFlags();
            case REG_D:
                return validRam ? D_VRT : 0;
            default:
                if (reg < REG_A && reg != REG_SECONDS_ALARM && reg != REG_MINUTES_ALARM && reg != REG_HOURS_ALARM
                        && updating()) {
                    return timeRegister(reg, currentSeconds());
                }
                return ram[reg & 0x7F] & 0xFF;
        }
    }

    /** Writes register {@code reg} (0..127) as the guest would through port 71h. */
    public void writeRegister(int reg, int value) {
        catchUp();
        value &= 0xFF;
        switch (reg) {
            case REG_A:
                LOG.debug("register A {}h (divider {}, periodic rate {})", Integer.toHexString(value),
                        (value >>> 4) & 7, value & 0x0F);
                writeRegisterA(value);
                break;
            case REG_B:
                LOG.debug("register B {}h", Integer.toHexString(value));
                writeRegisterB(value);
                break;
            case REG_C:
            case REG_D:
                break; // read-only
            default:
                if (reg < REG_A && reg != REG_SECONDS_ALARM && reg != REG_MINUTES_ALARM && reg != REG_HOURS_ALARM
                        && updating()) {
                    writeTimeWhileRunning(reg, value);
                } else {
                    ram[reg & 0x7F] = (byte) value;
                }
        }
        updateIrq();
        reschedule();
    }

    // ---- host-side access ----------------------------------------------------------------------------------

    /** A CMOS RAM byte (0Eh-7Fh) as stored, without side effects; for firmware setup and saved state. */
    public int cmosByte(int reg) {
        checkRamIndex(reg);
        return ram[reg] & 0xFF;
    }

    /** Stores a CMOS RAM byte (0Eh-7Fh) directly; for firmware setup. */
    public void setCmosByte(int reg, int value) {
        checkRamIndex(reg);
        ram[reg] = (byte) value;
    }

    /** True when register B selects binary rather than BCD time and date bytes. */
    public boolean binaryMode() {
        return (regB & B_BINARY) != 0;
    }

    /** The date and time the clock shows now (while SET is on or the divider stopped: what the registers hold). */
    public LocalDateTime currentTime() {
        catchUp();
        if (updating()) {
            return LocalDateTime.ofEpochSecond(currentSeconds(), 0, ZoneOffset.UTC);
        }
        long parsed = parseTimeRegisters();
        if (parsed == Long.MIN_VALUE) {
            throw new IllegalStateException("the RTC's time registers hold no valid date and time");
        }
        return LocalDateTime.ofEpochSecond(parsed, 0, ZoneOffset.UTC);
    }

    /** Sets register D's valid-RAM-and-time bit, which a dead battery would clear. */
    public void setValidRam(boolean valid) {
        validRam = valid;
    }

    /** True while IRQ 8 is being driven high. */
    public boolean interruptPending() {
        return irqHigh;
    }

    private static void checkRamIndex(int reg) {
        if (reg < 0x0E || reg > 0x7F) {
            throw new IllegalArgumentException(String.format(
                    "CMOS byte %02Xh is not plain RAM; use 0Eh-7Fh (00h-0Dh are clock registers)", reg));
        }
    }

    // ---- registers A and B ---------------------------------------------------------------------------------

    private boolean dividerRunning() {
        return (regA & 0x70) == DIVIDER_32K;
    }

    /** True while the time registers follow the clock: divider running and SET off. */
    private boolean updating() {
        return dividerRunning() && (regB & B_SET) == 0;
    }

    private void writeRegisterA(int value) {
        boolean wasRunning = dividerRunning();
        boolean running = ((value & 0x70) == DIVIDER_32K);
        if (wasRunning && !running && updating()) {
            freezeTimeRegisters();
        }
        regA = value & 0x7F;
        if (!wasRunning && running) {
            // Leaving reset, the chain starts so that the first update comes half a second later.
            long now = clock.nanos();
            origin = now + RtcTiming.NANOS_PER_SECOND / 2 - RtcTiming.NANOS_PER_SECOND;
            checkedTick = tick();
            if (updating()) {
                resumeFromTimeRegisters();
            }
        }
    }

    private void writeRegisterB(int value) {
        boolean wasUpdating = updating();
        if ((value & B_SET) != 0) {
            value &= ~B_UIE; // setting SET clears the update-ended interrupt enable
        }
        if (wasUpdating && (value & B_SET) != 0) {
            freezeTimeRegisters();
        }
        regB = value;
        if (!wasUpdating && updating()) {
            resumeFromTimeRegisters();
        }
    }

    private boolean updateInProgress() {
        return updating() && tick() % RtcTiming.TICKS_PER_SECOND >= RtcTiming.TICKS_PER_SECOND - RtcTiming.UIP_TICKS;
    }

    // ---- time keeping ----------------------------------------------------------------------------------------

    private long tick() {
        return RtcTiming.ticksIn(clock.nanos() - origin);
    }

    private long currentSeconds() {
        return secondsAtOrigin + tick() / RtcTiming.TICKS_PER_SECOND;
    }

    /** Copies the running time into registers 0-9 so they hold still while the guest sets them. */
    private void freezeTimeRegisters() {
        long seconds = currentSeconds();
        for (int reg : TIME_REGISTERS) {
            ram[reg] = (byte) timeRegister(reg, seconds);
        }
    }

    /** Starts the clock from what registers 0-9 hold, keeping the divider's phase; invalid contents are ignored. */
    private void resumeFromTimeRegisters() {
        long parsed = parseTimeRegisters();
        if (parsed != Long.MIN_VALUE) {
            secondsAtOrigin = parsed - tick() / RtcTiming.TICKS_PER_SECOND;
            dayOfWeekOffset = Math.floorMod((ram[REG_DAY_OF_WEEK] & 0xFF) - dayOfWeek(parsed), 7);
        }
    }

    private void writeTimeWhileRunning(int reg, int value) {
        freezeTimeRegisters();
        ram[reg] = (byte) value;
        resumeFromTimeRegisters();
    }

    private int timeRegister(int reg, long seconds) {
        switch (reg) {
            case REG_SECONDS:
                return encode((int) Math.floorMod(seconds, 60L));
            case REG_MINUTES:
                return encode((int) Math.floorMod(seconds / 60, 60L));
            case REG_HOURS:
                return encodeHour((int) Math.floorMod(Math.floorDiv(seconds, 3600L), 24L));
            case REG_DAY_OF_WEEK:
                return encode(Math.floorMod(dayOfWeek(seconds) - 1 + dayOfWeekOffset, 7) + 1);
            default:
                LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
                if (reg == REG_DAY_OF_MONTH) {
                    return encode(t.getDayOfMonth());
                }
                if (reg == REG_MONTH) {
                    return encode(t.getMonthValue());
                }
                return encode(t.getYear() % 100);
        }
    }

    /** Day of week as the RTC counts it: 1 = Sunday .. 7 = Saturday. */
    private static int dayOfWeek(long seconds) {
        long days = Math.floorDiv(seconds, 86400L);
        return (int) Math.floorMod(days + 4, 7L) + 1; // 1970-01-01 was a Thursday (5)
    }

    private int encode(int value) {
        return binaryMode() ? value : toBcd(value);
    }

    private int encodeHour(int hour) {
        if ((regB & B_24_HOUR) != 0) {
            return encode(hour);
        }
        int h12 = hour % 12 == 0 ? 12 : hour % 12;
        return encode(h12) | (hour >= 12 ? 0x80 : 0);
    }

    private int decode(int raw) {
        if (binaryMode()) {
            return raw;
        }
        int hi = raw >> 4;
        int lo = raw & 0x0F;
        return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
    }

    private static int toBcd(int value) {
        return value / 10 << 4 | value % 10;
    }

    /** Registers 0-9 and the century byte as an epoch second, or {@link Long#MIN_VALUE} if they are not a date. */
    private long parseTimeRegisters() {
        int second = decode(ram[REG_SECONDS] & 0xFF);
        int minute = decode(ram[REG_MINUTES] & 0xFF);
        int rawHour = ram[REG_HOURS] & 0xFF;
        int hour;
        if ((regB & B_24_HOUR) != 0) {
            hour = decode(rawHour);
        } else {
            int h12 = decode(rawHour & 0x7F);
            hour = h12 < 1 || h12 > 12 ? -1 : h12 % 12 + ((rawHour & 0x80) != 0 ? 12 : 0);
        }
        int day = decode(ram[REG_DAY_OF_MONTH] & 0xFF);
        int month = decode(ram[REG_MONTH] & 0xFF);
        int year = decode(ram[REG_YEAR] & 0xFF);
        // The chip itself counts only two year digits; the century comes from the firmware's byte at 32h when it
        // holds a plausible one in the current format, else from the clock's own idea of the date.
        int century = decode(ram[REG_CENTURY] & 0xFF);
        if (century < MIN_CENTURY || century > MAX_CENTURY) {
            century = LocalDateTime.ofEpochSecond(secondsAtOrigin, 0, ZoneOffset.UTC).getYear() / 100;
        }
        if (second < 0 || minute < 0 || hour < 0 || year < 0 || year > 99) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDateTime.of(century * 100 + year, month, day, hour, minute, second)
                    .toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    // ---- flags and interrupts ------------------------------------------------------------------------------

    /** Works out which flags of register C came up between the last look and now. */
    private void catchUp() {
        if (!dividerRunning()) {
            return;
        }
        long now = tick();
        if (now <= checkedTick) {
            return;
        }
        int rs = regA & 0x0F;
        if (rs != 0) {
            long period = RtcTiming.periodTicks(rs);
            if (now / period > checkedTick / period) {
                flags |= C_PF;
            }
        }
        if (updating()) {
            long first = checkedTick / RtcTiming.TICKS_PER_SECOND + 1;
            long last = now / RtcTiming.TICKS_PER_SECOND;
            if (last >= first) {
                flags |= C_UF;
                if ((flags & C_AF) == 0 && alarmMatchesBetween(Math.max(first, last - 86399), last)) {
                    flags |= C_AF;
                }
            }
        }
        checkedTick = now;
    }

    /** True if the alarm matches the time shown after any of the updates at second boundaries first..last. */
    private boolean alarmMatchesBetween(long first, long last) {
        int alarmSeconds = ram[REG_SECONDS_ALARM] & 0xFF;
        int alarmMinutes = ram[REG_MINUTES_ALARM] & 0xFF;
        int alarmHours = ram[REG_HOURS_ALARM] & 0xFF;
        for (long s = first; s <= last; s++) {
            long seconds = secondsAtOrigin + s;
            if (alarmField(alarmSeconds, timeRegister(REG_SECONDS, seconds))
                    && alarmField(alarmMinutes, timeRegister(REG_MINUTES, seconds))
                    && alarmField(alarmHours, timeRegister(REG_HOURS, seconds))) {
                return true;
            }
        }
        return false;
    }

    /** An alarm byte with both top bits set matches any value ("don't care"). */
    private static boolean alarmField(int alarm, int value) {
        return (alarm & 0xC0) == 0xC0 || alarm == value;
    }

    private int readAndClearFlags() {
        int value = flags | (irqHigh ? C_IRQF : 0);
        flags = 0;
        updateIrq();
        reschedule();
        return value;
    }

    private void updateIrq() {
        boolean high = (flags & regB & (C_PF | C_AF | C_UF)) != 0;
        if (high != irqHigh) {
            irqHigh = high;
            irq.setLevel(high);
        }
    }

    /**
     * Keeps one event at the next tick where an enabled interrupt could fire. Nothing is scheduled while no
     * interrupt is enabled or while IRQF is already up (no new interrupt can come until register C is read).
     */
    private void reschedule() {
        long next = Long.MAX_VALUE;
        if (dividerRunning() && !irqHigh) {
            int rs = regA & 0x0F;
            if ((regB & B_PIE) != 0 && rs != 0) {
                long period = RtcTiming.periodTicks(rs);
                next = (checkedTick / period + 1) * period;
            }
            if ((regB & (B_UIE | B_AIE)) != 0 && updating()) {
                next = Math.min(next, (checkedTick / RtcTiming.TICKS_PER_SECOND + 1) * RtcTiming.TICKS_PER_SECOND);
            }
        }
        if (next == Long.MAX_VALUE) {
            scheduler.cancel(interruptEvent);
        } else {
            scheduler.schedule(interruptEvent, origin + RtcTiming.nanosOf(next));
        }
    }

    private void onInterruptEvent() {
        catchUp();
        updateIrq();
        reschedule();
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
        return "rtc";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), INDEX_PORT, 2));
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("rtc", this::saveState, this::loadState);
    }
}
