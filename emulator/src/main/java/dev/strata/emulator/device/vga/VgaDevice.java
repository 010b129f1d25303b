package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.device.Device;
import dev.strata.emulator.device.PortDevice;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.memory.MemoryMap;
import dev.strata.emulator.memory.MemoryMapping;
import dev.strata.emulator.memory.MemoryRegion;
import dev.strata.emulator.memory.MmioHandler;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VGA adapter: the video memory window at A0000h-BFFFFh (text at B8000h, or B0000h when monochrome; planes,
 * write and read modes in {@link VgaMemory}), the CRT controller at 3D4h/3D5h (3B4h/3B5h in monochrome mode), the
 * misc output register (3C2h write, 3CCh read), the attribute controller (3C0h/3C1h, flip-flop reset by reading input status 1), the
 * sequencer (3C4h/3C5h) and graphics controller (3CEh/3CFh) registers, input status 1 (3DAh/3BAh) with retrace bits
 * from the virtual clock, and the DAC (3C6h-3C9h). It powers on with the registers of mode 3 (80x25 colour text),
 * so text written to B8000h shows even before a video BIOS programs anything.
 *
 * <p>On top of that, the Bochs/QEMU DISPI interface ({@link Dispi}, ports 1CEh/1CFh) for VBE modes up to
 * 2560x1600 at 8-32 bits per pixel, drawn from 16 MiB of linear video memory that the PCI function
 * ({@link VgaPciFunction}) shows as a linear frame buffer in its BAR0 and, while such a mode is on, the window at
 * A0000h shows 64 KiB at a time (the bank register picks which). With DISPI off everything is the plain VGA.
 *
 * <p>{@link #capture} copies what the picture is made of, for a {@link ScreenRenderer} on another thread (the
 * window's); {@link #renderFrame()} renders what the screen shows in any mode as an RGB frame, the same way;
 * {@link #textScreen()} takes a snapshot of a text screen, for guest tests and screen dumps; a listener
 * hears each write that may change it, so those need not poll.
 */
@StateClass("dev.strata.emulator.device.vga.VgaDevice")
public final class VgaDevice implements PortDevice, Device {

    private static final Logger LOG = LoggerFactory.getLogger(VgaDevice.class);

    /** First byte of the VGA's memory window; the machine maps {@link #MEMORY_SIZE} bytes from here to this device. */
    public static final int MEMORY_BASE = VgaMemory.WINDOW_BASE;
    public static final int MEMORY_SIZE = VgaMemory.WINDOW_END - VgaMemory.WINDOW_BASE;
    /** Where colour text mode memory starts. */
    public static final int TEXT_BASE = 0xB8000;
    /** The end of the DISPI bank window, which starts at {@link #MEMORY_BASE}. */
    private static final int BANK_WINDOW_END = MEMORY_BASE + Dispi.BANK_SIZE;
    public static final int DISPI_INDEX = Dispi.INDEX_PORT;
    public static final int DISPI_DATA = Dispi.DATA_PORT;

    public static final int CRTC_INDEX_MONO = 0x3B4;
    public static final int CRTC_DATA_MONO = 0x3B5;
    public static final int INPUT_STATUS_1_MONO = 0x3BA;
    public static final int ATTRIBUTE = 0x3C0;
    public static final int ATTRIBUTE_READ = 0x3C1;
    public static final int MISC_OUTPUT_WRITE = 0x3C2;
    public static final int VIDEO_ENABLE = 0x3C3;
    public static final int SEQUENCER_INDEX = 0x3C4;
    public static final int SEQUENCER_DATA = 0x3C5;
    public static final int DAC_PIXEL_MASK = 0x3C6;
    public static final int DAC_READ_INDEX = 0x3C7;
    public static final int DAC_WRITE_INDEX = 0x3C8;
    public static final int DAC_DATA = 0x3C9;
    public static final int FEATURE_CONTROL_READ = 0x3CA;
    public static final int MISC_OUTPUT_READ = 0x3CC;
    public static final int GRAPHICS_INDEX = 0x3CE;
    public static final int GRAPHICS_DATA = 0x3CF;
    public static final int CRTC_INDEX = 0x3D4;
    public static final int CRTC_DATA = 0x3D5;
    public static final int INPUT_STATUS_1 = 0x3DA;

    /** The registers of mode 3, 80x25 16-colour text with a 9x16 character cell. */
    static final int MODE3_MISC = 0x67;
    static final int[] MODE3_SEQUENCER = {0x03, 0x00, 0x03, 0x00, 0x02};
    static final int[] MODE3_GRAPHICS = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF};
    static final int[] MODE3_ATTRIBUTE = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B,
        0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00};
    static final int[] MODE3_CRTC = {0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00,
        0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF};

    @StateField("sequencer") private final int[] sequencer = MODE3_SEQUENCER.clone();
    @StateField("graphics") private final int[] graphics = MODE3_GRAPHICS.clone();
    @StateField("crtc") private final Crtc crtc = new Crtc(MODE3_CRTC);
    @StateField("attribute") private final AttributeController attribute = new AttributeController(MODE3_ATTRIBUTE);
    @StateField("dac") private final Dac dac = new Dac();
    @StateField("memory") private final VgaMemory memory = new VgaMemory(sequencer, graphics);
    private final transient DisplayTiming timing;
    private final transient VirtualClock clock;
    @StateField("miscOutput") private int miscOutput = MODE3_MISC;
    @StateField("sequencerIndex") private int sequencerIndex;
    @StateField("graphicsIndex") private int graphicsIndex;
    @StateField("featureControl") private int featureControl;
    @StateField("videoEnable") private int videoEnable = 0x01;
    /** The DISPI registers and their linear memory; a file from before version 3 keeps the power-on ones. */
    @StateField(value = "dispi", since = 3) private final Dispi dispi = new Dispi();
    /** For {@link #renderFrame()}: a picture and a renderer kept from call to call, allocated on first use. */
    private transient VgaPicture ownPicture;
    private transient ScreenRenderer ownRenderer;
    private final transient ShownMemory shown = new ShownMemory(crtc, graphics);
    /**
     * Counts the changes of the picture (see {@link #changeCount()}). Not state: a restored machine starts counting
     * anew, and a load counts as a change. A plain int on purpose: the CPU thread's write path pays one increment.
     */
    private transient int changes;
    /** True while linear memory writes count as changes (a DISPI mode is on); see {@link #followDispiMode}. */
    private transient boolean lfbShown;
    /** The linear memory's write count when it came on the screen. */
    private transient int lfbWritesWhenShown;
    /** Wiring, not state (transient keeps it out of saved states): who wants to know the screen may have changed. */
    private transient Runnable screenWriteListener = () -> { };
    private final transient ScreenTextSearch screenSearch = new ScreenTextSearch();

    public VgaDevice(VirtualClock clock) {
        this.timing = new DisplayTiming(clock);
        this.clock = clock;
    }

    // ---- memory ---------------------------------------------------------------------------------------------------

    /**
     * Reads the byte the CPU sees at physical {@code address} (A0000h-BFFFFh); 0xFF where the VGA decodes nothing.
     * While a DISPI mode is on, A0000h-AFFFFh is the 64 KiB bank of linear memory the bank register selects.
     */
    public int readMemory(int address) {
        if (dispi.enabled() && address < BANK_WINDOW_END) {
            return dispi.memory.read(dispi.bankOffset() + address - MEMORY_BASE, 1);
        }
        return memory.read(address);
    }

    /** Writes the byte the CPU stores at physical {@code address} (A0000h-BFFFFh); ignored where nothing is decoded. */
    public void writeMemory(int address, int value) {
        if (dispi.enabled() && address < BANK_WINDOW_END) {
            dispi.memory.write(dispi.bankOffset() + address - MEMORY_BASE, 1, value);
            changes++;
            return;
        }
        int written = memory.write(address, value);
        if (shown.covers(written)) {
            changes++;
        }
        screenSearch.written(written);
        screenWriteListener.run();
    }

    /**
     * Writes {@code count} items of {@code size} bytes of {@code value} from physical {@code address} up, each byte
     * as {@link #writeMemory} would, in one loop ({@link VgaMemory#fill}) that tells the screen once: how the BIOS
     * clears video memory when it sets a mode (256 KiB of planes and 32 KiB of text, which byte by byte through the
     * memory map took a twentieth of a FreeDOS boot). The change count moves whether or not the screen shows the
     * bytes (it may move for nothing). False, with nothing written, while a DISPI mode banks the window.
     */
    boolean fillMemory(int address, int size, int count, int value) {
        return bulkWrite(address, () -> memory.fill(address, size, count, value));
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code from} at physical {@code address} up, each as
     * {@link #writeMemory} would, in one loop ({@link VgaMemory#writeBytes}) that tells the screen once: how the BIOS
     * loads a font (8 KiB into plane 2). False, with nothing written, while a DISPI mode banks the window.
     */
    boolean writeMemoryBytes(int address, byte[] src, int from, int length) {
        return bulkWrite(address, () -> memory.writeBytes(address, src, from, length));
    }

    /** Runs {@code store} and tells the screen once, unless a DISPI mode banks the window at {@code address}. */
    private boolean bulkWrite(int address, Runnable store) {
        if (dispi.enabled() && address < BANK_WINDOW_END) {
            return false;
        }
        store.run();
        changes++;
        screenSearch.changedAnywhere();
        screenWriteListener.run();
        return true;
    }

    /** Reads {@code size} (1, 2 or 4) bytes of linear video memory at {@code offset}, as BAR0 (the LFB) shows it. */
    public int readLinear(int offset, int size) {
        return dispi.memory.read(offset, size);
    }

    /**
     * Writes linear video memory as BAR0 (the LFB) does; a change of the picture while a DISPI mode shows it. The CPU's
     * own writes to the LFB do not come here: they land in the memory's bytes directly (see {@link #connect}).
     */
    public void writeLinear(int offset, int size, int value) {
        dispi.memory.write(offset, size, value);
    }

    /**
     * Puts the linear frame buffer in BAR0 of {@code function}; the PCI code maps it as the guest programs it. The
     * region is backed by the linear memory's bytes, which the CPU reads and writes as RAM; {@link #changeCount()}
     * follows those writes through the memory's write counter.
     */
    public void connect(VgaPciFunction function) {
        function.connectBar(VgaPciFunction.LFB_BAR, MemoryRegion.mmio("vga.lfb", dispi.memory.deviceMemory()));
    }

    /**
     * A number that moves whenever what the screen shows may have changed: a write to video memory the current mode
     * shows ({@link ShownMemory}: not off-screen pages, not plane 3 in text mode), a register write that changes the
     * picture's layout or colours (CRT controller, including the cursor's shape and position and the start address;
     * the graphics controller's mode and misc registers; the sequencer's clocking mode and character map select;
     * the attribute controller; the DAC and its pixel mask), and a restored state. Reads of video memory and
     * register writes that change nothing do not move it; it may move for a write that changes no pixel (the same
     * byte written again), never stay for one that does. Blinking (the cursor, blinking text) is not a change: see
     * {@link #blinkPhase()}.
     *
     * <p>Written only on the CPU thread, as a plain int: a display thread may read it without a lock, racily. It may
     * then see a stale value for a while (the Java memory model promises nothing sooner than the next
     * synchronisation between the threads), so such a reader must also ask the CPU thread now and then (the window
     * does, several times a second), where the value is exact; a missed update is then caught by the next frame.
     * It wraps around: compare for equality only.
     */
    public int changeCount() {
        return lfbShown ? changes + dispi.memory.deviceMemory().writeCount() - lfbWritesWhenShown : changes;
    }

    /**
     * Gives the DAC the component width the DISPI enable register's 8-bit DAC bit asks for; {@code scale} converts
     * the table so the colours stay (a register write), without it the table is taken as it is (a restored state).
     */
    private void followDacWidth(boolean scale) {
        boolean eightBit = (dispi.register(Dispi.ENABLE) & Dispi.DAC_8BIT) != 0;
        if (eightBit != dac.eightBit()) {
            dac.setEightBit(eightBit, scale);
            pictureChanged();
        }
    }

    /**
     * Starts or stops counting linear memory writes as changes when a DISPI mode turns on or off: while it is off
     * the linear memory is not on the screen. Call after anything that may switch the mode.
     */
    private void followDispiMode() {
        boolean on = dispi.enabled();
        if (on == lfbShown) {
            return;
        }
        int writes = dispi.memory.deviceMemory().writeCount();
        if (on) {
            lfbWritesWhenShown = writes;
        } else {
            changes += writes - lfbWritesWhenShown;
        }
        lfbShown = on;
    }

    /**
     * The blink phase the picture shows now: it moves every 8 frames (the cursor's blink period; blinking text
     * blinks every 16) in a text mode with a visible cursor or blinking enabled, and is 0 when nothing blinks.
     * Together with {@link #changeCount()} it says whether a new frame would differ from the last one. CPU thread.
     */
    public long blinkPhase() {
        if (dispi.enabled()) {
            return 0;
        }
        boolean text = (graphics[VgaMemory.GC_MISC] & 0x01) == 0;
        boolean cursor = !crtc.cursorDisabled() && crtc.cursorStartLine() <= crtc.cursorEndLine();
        if (!text || !cursor && !attribute.blinkEnabled()) {
            return 0;
        }
        return clock.nanos() / FrameRenderer.NANOS_PER_FRAME / 8 + 1;
    }

    /** Something on the screen may have changed (see {@link #changeCount()}). */
    private void pictureChanged() {
        changes++;
    }

    /**
     * Hears every write that may change what {@link #textScreen()} shows: video memory, and the CRT controller's
     * registers (start address, as hardware scrolling moves it, layout, cursor). It runs on the CPU thread in the
     * middle of an instruction, on every such write, so it must be cheap: set a flag, look later. Null removes it.
     */
    public void setScreenWriteListener(Runnable listener) {
        screenWriteListener = listener == null ? () -> { } : listener;
    }

    // ---- ports ----------------------------------------------------------------------------------------------------

    @Override
    public int readPort(int port) {
        switch (port) {
            case ATTRIBUTE:
                return attribute.readIndex();
            case ATTRIBUTE_READ:
                return attribute.readData();
            case MISC_OUTPUT_WRITE:
                return 0x00; // input status 0: no switch sense, no CRT interrupt
            case VIDEO_ENABLE:
                return videoEnable;
            case SEQUENCER_INDEX:
                return sequencerIndex;
            case SEQUENCER_DATA:
                return sequencerIndex < sequencer.length ? sequencer[sequencerIndex] : 0xFF;
            case DAC_PIXEL_MASK:
                return dac.pixelMask();
            case DAC_READ_INDEX:
                return dac.state();
            case DAC_WRITE_INDEX:
                return dac.writeIndex();
            case DAC_DATA:
                return dac.readData();
            case FEATURE_CONTROL_READ:
                return featureControl;
            case MISC_OUTPUT_READ:
                return miscOutput;
            case GRAPHICS_INDEX:
                return graphicsIndex;
            case GRAPHICS_DATA:
                return graphicsIndex < graphics.length ? graphics[graphicsIndex] : 0xFF;
            default:
                return readCrtcPort(port);
        }
    }

    private int readCrtcPort(int port) {
        if (!isCrtcPortActive(port)) {
            return 0xFF;
        }
        switch (port & 0x0F) {
            case 0x04:
                return crtc.index();
            case 0x05:
                return crtc.readData();
            case 0x0A:
                attribute.resetFlipFlop();
                return timing.statusBits(crtc, miscOutput, sequencer[1]);
            default:
                return 0xFF;
        }
    }

    @Override
    public void writePort(int port, int value) {
        value &= 0xFF;
        switch (port) {
            case ATTRIBUTE -> {
                if (attribute.write(value)) {
                    pictureChanged();
                }
            }
            case MISC_OUTPUT_WRITE -> miscOutput = value;
            case VIDEO_ENABLE -> videoEnable = value & 0x01;
            case SEQUENCER_INDEX -> sequencerIndex = value & 0x07;
            case SEQUENCER_DATA -> {
                if (sequencerIndex < sequencer.length) {
                    int before = sequencer[sequencerIndex];
                    sequencer[sequencerIndex] = value;
                    // clocking mode (dot width, screen off) and character map select change the picture
                    if (before != value && (sequencerIndex == 1 || sequencerIndex == 3)) {
                        pictureChanged();
                    }
                }
            }
            case DAC_PIXEL_MASK -> {
                if (dac.pixelMask() != value) {
                    dac.setPixelMask(value);
                    pictureChanged();
                }
            }
            case DAC_READ_INDEX -> dac.setReadIndex(value);
            case DAC_WRITE_INDEX -> dac.setWriteIndex(value);
            case DAC_DATA -> {
                dac.writeData(value);
                pictureChanged();
            }
            case GRAPHICS_INDEX -> graphicsIndex = value & 0x0F;
            case GRAPHICS_DATA -> {
                if (graphicsIndex < graphics.length) {
                    int before = graphics[graphicsIndex];
                    graphics[graphicsIndex] = value;
                    memory.graphicsChanged();
                    // the mode register (256 colours, CGA layout) and misc register (text or graphics) change the
                    // picture; the others only change what CPU accesses do
                    if (before != value && (graphicsIndex == VgaMemory.GC_MODE || graphicsIndex == VgaMemory.GC_MISC)) {
                        shown.update();
                        pictureChanged();
                    }
                }
            }
            default -> writeCrtcPort(port, value);
        }
    }

    private void writeCrtcPort(int port, int value) {
        if (!isCrtcPortActive(port)) {
            return;
        }
        switch (port & 0x0F) {
            case 0x04 -> crtc.setIndex(value);
            case 0x05 -> {
                if (crtc.writeData(value)) {
                    shown.update();
                    pictureChanged();
                }
                screenWriteListener.run();
            }
            case 0x0A -> featureControl = value & 0x03;
            default -> LOG.debug("write of {}h to port {}h, which this VGA does not decode", Integer.toHexString(value),
                    Integer.toHexString(port));
        }
    }

    /** The CRTC and input status 1 answer at 3Dxh in colour mode (misc output bit 0 set) and at 3Bxh otherwise. */
    private boolean isCrtcPortActive(int port) {
        int low = port & 0x0F;
        if (low != 0x04 && low != 0x05 && low != 0x0A) {
            return false;
        }
        return (port & ~0x0F) == (isColor() ? 0x3D0 : 0x3B0);
    }

    // ---- state for the machine, the display and tests -------------------------------------------------------------

    /** True when the CRTC is at 3D4h (colour); false when it is at 3B4h (monochrome). */
    public boolean isColor() {
        return (miscOutput & 0x01) != 0;
    }

    public int miscOutput() {
        return miscOutput;
    }

    public int crtcRegister(int index) {
        return crtc.get(checkIndex(index, Crtc.REGISTERS, "CRTC"));
    }

    public int sequencerRegister(int index) {
        return sequencer[checkIndex(index, sequencer.length, "sequencer")];
    }

    public int graphicsRegister(int index) {
        return graphics[checkIndex(index, graphics.length, "graphics controller")];
    }

    public int attributeRegister(int index) {
        return attribute.get(checkIndex(index, AttributeController.REGISTERS, "attribute controller"));
    }

    /**
     * DAC entry {@code index} as 6-bit components packed red << 12 | green << 6 | blue (with the 8-bit DAC on, the
     * top six bits of each component).
     */
    public int dacEntry(int index) {
        return dac.entry(index);
    }

    /** True while attribute bit 7 means blink (attribute mode control bit 3). */
    public boolean blinkEnabled() {
        return attribute.blinkEnabled();
    }

    /** True when the attribute controller's palette address source bit lets the screen show. */
    public boolean screenEnabled() {
        return attribute.screenEnabled() && (sequencer[1] & 0x20) == 0;
    }

    /** A snapshot of the text screen as the CRTC currently lays it out. */
    public TextScreen textScreen() {
        int columns = crtc.displayedColumns();
        int rows = crtc.textRows();
        int stride = Math.max(1, crtc.rowStride());
        int start = crtc.startAddress();
        byte[] chars = new byte[columns * rows];
        byte[] attrs = new byte[columns * rows];
        byte[] plane0 = memory.planes[0];
        byte[] plane1 = memory.planes[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int offset = (start + r * stride + c) * 2 & (VgaMemory.PLANE_SIZE - 1);
                chars[r * columns + c] = plane0[offset];
                attrs[r * columns + c] = plane1[offset];
            }
        }
        int position = crtc.cursorLocation() - start;
        int cursorRow = Math.floorDiv(position, stride);
        int cursorColumn = Math.floorMod(position, stride);
        boolean cursorVisible = !crtc.cursorDisabled()
                && crtc.cursorStartLine() <= crtc.cursorEndLine()
                && crtc.cursorStartLine() <= crtc.maxScanLine()
                && cursorRow >= 0 && cursorRow < rows && cursorColumn < columns;
        boolean graphicsMode = (graphics[6] & 0x01) != 0;
        return new TextScreen(columns, rows, chars, attrs, cursorRow, cursorColumn, cursorVisible,
                attribute.blinkEnabled(), graphicsMode);
    }

    /**
     * Copies what the picture is made of now into {@code into} (see {@link VgaPicture}), reusing its buffers: a
     * memory copy of the registers, the DAC and the video memory the mode shows, and nothing rendered, so the CPU
     * thread can take a consistent picture between two batches and leave the rendering to another thread. Call it
     * on the thread that runs the machine, or with the machine paused. It changes nothing in the device.
     */
    public void capture(VgaPicture into) {
        capture(into, clock.nanos());
    }

    /** A capture as at virtual time {@code nanos}, which sets the blink phases (tests pick one). */
    void capture(VgaPicture into, long nanos) {
        into.nanos = nanos;
        System.arraycopy(sequencer, 0, into.sequencer, 0, sequencer.length);
        System.arraycopy(graphics, 0, into.graphics, 0, graphics.length);
        into.crtc.copyFrom(crtc);
        into.attribute.copyFrom(attribute);
        into.dac.copyFrom(dac);
        into.dispi = dispi.enabled();
        if (into.dispi) {
            captureLinear(into);
            return;
        }
        if (into.planes == null) {
            into.planes = new byte[4][VgaMemory.PLANE_SIZE];
        }
        // text shows planes 0 and 1 through the font in plane 2; graphics modes may show all four
        int planes = (graphics[VgaMemory.GC_MISC] & 0x01) == 0 ? 3 : 4;
        for (int p = 0; p < planes; p++) {
            System.arraycopy(memory.planes[p], 0, into.planes[p], 0, VgaMemory.PLANE_SIZE);
        }
    }

    /** The DISPI mode's registers and the visible window of linear memory, from its top left pixel. */
    private void captureLinear(VgaPicture into) {
        into.width = dispi.width();
        into.height = dispi.height();
        into.bitsPerPixel = dispi.bitsPerPixel();
        into.bytesPerPixel = dispi.bytesPerPixel();
        into.lineBytes = dispi.lineBytes();
        byte[] vram = dispi.memory.bytesOrNull();
        into.lfbPresent = vram != null;
        if (vram == null) {
            into.lfbLength = 0;
            return;
        }
        long window = (long) (into.height - 1) * into.lineBytes + (long) into.width * into.bytesPerPixel;
        int start = dispi.startOffset();
        int length = (int) Math.max(0, Math.min(window, (long) vram.length - start));
        if (into.lfb.length < length) {
            into.lfb = new byte[length];
        }
        System.arraycopy(vram, start, into.lfb, 0, length);
        into.lfbLength = length;
    }

    /**
     * Renders what the screen shows now, in any mode, as an RGB frame (text with the font in plane 2, graphics with
     * the attribute palette and the DAC): a {@link #capture} rendered by a {@link ScreenRenderer}, as the window and
     * screenshots do. Call it on the thread that runs the machine, or with the machine paused.
     */
    public Frame renderFrame() {
        return renderFrame(clock.nanos());
    }

    /** The frame as it is at virtual time {@code nanos}, which sets the blink phases (tests pick one). */
    synchronized Frame renderFrame(long nanos) {
        if (ownPicture == null) {
            ownPicture = new VgaPicture();
            ownRenderer = new ScreenRenderer();
        }
        capture(ownPicture, nanos);
        return ownRenderer.render(ownPicture);
    }

    /** True while a DISPI (VBE) mode is on: the screen shows linear video memory, not the VGA's planes. */
    public boolean dispiEnabled() {
        return dispi.enabled();
    }

    /** True while the DAC takes 8-bit components (the DISPI enable register's 8-bit DAC bit, VBE AX=4F08h). */
    public boolean dacEightBit() {
        return dac.eightBit();
    }

    /** DISPI register {@code index} (0-9, as port 1CFh reads it with the get-capabilities bit clear). */
    public int dispiRegister(int index) {
        return dispi.register(checkIndex(index, Dispi.REGISTERS, "DISPI"));
    }

    /**
     * True when {@code text} is on the screen, read as {@link TextScreen#toText()} would show it (a newline in
     * {@code text} stands for a row end), without taking a snapshot: cheap enough to ask after every batch that
     * drew on the screen.
     */
    public boolean screenShows(String text) {
        return screenSearch.contains(memory.planes[0], crtc.startAddress(), Math.max(1, crtc.rowStride()),
                crtc.displayedColumns(), crtc.textRows(), text);
    }

    private static int checkIndex(int index, int count, String what) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(what + " register " + index + " does not exist; there are " + count);
        }
        return index;
    }

    /** Writes this device's state into a saved state (every state field, see {@link FieldCodec}). */
    public void saveState(StateWriter w) {
        dispi.memory.packForSave();
        try {
            FieldCodec.save(this, w);
        } finally {
            dispi.memory.releaseSaved();
        }
    }

    /** Restores what {@link #saveState} wrote, re-arming this device's timers on the machine's scheduler. */
    public void loadState(StateReader r) throws StateFileException {
        if (r.version() < 3) {
            dispi.reset(); // the file is from before DISPI: its machine had it off
        }
        FieldCodec.load(this, r);
        screenSearch.changedAnywhere();
        shown.update();
        pictureChanged();
        followDispiMode();
        followDacWidth(false); // the table was saved in the width the enable register says
    }

    @Override
    public String name() {
        return "vga";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), CRTC_INDEX_MONO, 2), ports(name(), INPUT_STATUS_1_MONO, 1),
                ports(name(), ATTRIBUTE, 16), ports(name(), CRTC_INDEX, 2), ports(name(), INPUT_STATUS_1, 1),
                new IoPortRange(name() + " dispi", DISPI_INDEX, 2, new IoPortHandler() {
                    @Override
                    public int in(int port, int size) {
                        return readDispiPort(port);
                    }

                    @Override
                    public void out(int port, int size, int value) {
                        writeDispiPort(port, size, value);
                    }
                }));
    }

    /** Port 1CEh reads the DISPI index, 1CFh the register it selects (16-bit ports; a byte read gets the low byte). */
    public int readDispiPort(int port) {
        return port == DISPI_INDEX ? dispi.readIndex() : dispi.readData();
    }

    /** Port 1CEh selects a DISPI register, 1CFh writes it; a mode switch or a layout change is a picture change. */
    public void writeDispiPort(int port, int size, int value) {
        if (port == DISPI_INDEX) {
            dispi.writeIndex(size == 1 ? value & 0xFF : value);
        } else {
            if (dispi.writeData(size == 1 ? value & 0xFF : value)) {
                pictureChanged();
            }
            followDispiMode();
            followDacWidth(true);
        }
    }

    /** A machine reset turns a DISPI mode off, as on QEMU's std VGA; the standard VGA registers stay as they are. */
    @Override
    public void machineReset() {
        if (dispi.enabled()) {
            pictureChanged();
        }
        dispi.reset();
        followDispiMode();
        followDacWidth(true);
    }

    /** The video memory window at A0000h-BFFFFh, over the RAM there; an 8-bit window, as the ISA VGA's. */
    @Override
    public List<MemoryMapping> memoryRegions() {
        return List.of(new MemoryMapping(MemoryRegion.mmio("vga.memory", MEMORY_SIZE, MemoryRegion.BYTE,
                new MmioHandler() {
                    @Override
                    public int read(int offset, int size) {
                        return readMemory(MEMORY_BASE + offset);
                    }

                    @Override
                    public void write(int offset, int size, int value) {
                        writeMemory(MEMORY_BASE + offset, value);
                    }

                    @Override
                    public boolean fill(int offset, int size, int count, int value) {
                        return fillMemory(MEMORY_BASE + offset, size, count, value);
                    }

                    @Override
                    public boolean writeBytes(int offset, byte[] src, int from, int length) {
                        return writeMemoryBytes(MEMORY_BASE + offset, src, from, length);
                    }
                }), MEMORY_BASE, MemoryMap.PRIORITY_OVERLAY));
    }

    @Override
    public DeviceSection state() {
        // Version 2 saves the graphics controller's latches; 3 the DISPI registers and linear memory.
        return new DeviceSection("vga", 3, 1, this::saveState, this::loadState);
    }
}
