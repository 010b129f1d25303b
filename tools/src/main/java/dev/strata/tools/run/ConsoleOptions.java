package dev.strata.tools.run;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.machine.MachineSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The console options {@code strata run} and {@code strata vm start} share (a picocli mixin). */
public final class ConsoleOptions {

    @Option(names = "--headless", description = "no screen or keyboard on the terminal; COM1 goes to stdout"
            + " unless --serial says otherwise")
    public boolean headless;

    @Option(names = "--gui", description = "show the screen in a window (needs a display) and send the keys typed"
            + " in it to the guest; Right Ctrl is the host key: Right Ctrl+Del sends Ctrl-Alt-Del, +P pauses,"
            + " +R resets, +Q powers off, as closing the window does")
    public boolean gui;

    @Option(names = "--serial", paramLabel = "stdio|file:PATH|none", description = "where COM1 output goes"
            + " (default: stdio when headless, else none)")
    public String serial;

    @Option(names = "--serial-line-rate", description = "send on the serial ports at their programmed baud rate,"
            + " as a physical port does (default: a character a microsecond whatever the rate, as QEMU and"
            + " VirtualBox send)")
    public boolean serialLineRate;

    @Option(names = "--debugcon", paramLabel = "stdio|file:PATH|none", description = "where the guest's writes to"
            + " the debug port E9h go (default: none; --expect sees them either way)")
    public String debugcon;

    @Option(names = "--expect", paramLabel = "TEXT", description = "wait for TEXT on COM1, E9h or the screen"
            + " (repeatable; met in order; escapes \\n \\r \\t \\e)")
    public List<String> expect = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SEC", description = "give up after SEC host seconds: exit 1 and"
            + " print the screen if an expectation is still missing")
    public Double timeout;

    @Option(names = "--screen-dump", paramLabel = "FILE", description = "write the text screen to FILE at exit")
    public Path screenDump;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "write a PNG of the screen to FILE at exit"
            + " (any mode: text with the font, graphics with the palette)")
    public Path screenshot;

    @Option(names = "--deterministic", description = "virtual time from the instruction count: the same input"
            + " gives the same output every run")
    public boolean deterministic;

    @Option(names = "--stats", description = "print instructions, MIPS, seconds, block-cache hit rate and the"
            + " translated share to stderr at exit")
    public boolean stats;

    @Option(names = "--stats-every", paramLabel = "N", description = "print to stderr, each N instructions, the CPU"
            + " thread's time so far and the last N instructions' MIPS per CPU-second and translated share (how a"
            + " run warms up, and its slow phases)")
    public Long statsEvery;

    @Option(names = "--jit", paramLabel = "off|on|all", defaultValue = "on", description = "translate hot guest"
            + " code to JVM bytecode (default on: blocks that ran 15,000 times, after the first 5 million"
            + " instructions; all: every block before its first run, for conformance runs; off: interpret"
            + " everything)")
    public JitMode jit = JitMode.ON;

    @Option(names = "--exit-on-reset", description = "end the run when the guest resets the machine")
    public boolean exitOnReset;

    @Option(names = "--type", paramLabel = "TEXT", description = "type TEXT on the guest's keyboard, starting when"
            + " the guest first reads the keyboard (port 60h or INT 16h; again after a reset); escapes \\n \\r \\t"
            + " \\e \\b")
    public String type;

    @Mixin
    public TraceOptions trace = new TraceOptions();

    @Mixin
    public GdbOptions gdb = new GdbOptions();

    /** Sets the clock mode, the translating tier and the serial ports' pacing the options ask for. */
    public void applyTo(MachineSettings settings) {
        settings.clockMode(deterministic ? ClockMode.DETERMINISTIC : ClockMode.REALTIME);
        settings.jit(jit);
        settings.serialLineRate(serialLineRate);
    }

    /** What is wrong with these options taken together, for a usage error; null when nothing is. */
    public String mistake() {
        if (gui && headless) {
            return "--gui and --headless exclude each other; pick one";
        }
        if (statsEvery != null && statsEvery <= 0) {
            return "--stats-every takes a number of instructions above 0, e.g. 100000000, not " + statsEvery;
        }
        return null;
    }
}
