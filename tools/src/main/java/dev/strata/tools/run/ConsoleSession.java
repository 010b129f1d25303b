package dev.strata.tools.run;

import dev.strata.emulator.cpu.trace.TraceRecorder;
import dev.strata.emulator.device.keyboard.TextTyper;
import dev.strata.emulator.gdb.GdbServer;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.OutputExpectations;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.emulator.machine.ScriptedTyping;
import dev.strata.emulator.machine.TextEscapes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import dev.strata.emulator.display.FramePng;
import dev.strata.tools.display.MachineWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one machine on the console as the {@link ConsoleOptions} say: COM1 and E9h routing, --trace, --expect,
 * --type, --timeout, the terminal screen and keyboard or the --gui window, --screen-dump, --stats, and the exit code and report at the
 * end. Used by {@code strata run} and {@code strata vm start}.
 */
public final class ConsoleSession {

    private final ConsoleOptions options;
    private final PrintWriter err;
    private final List<String> expected = new ArrayList<>();
    private final String typed;
    private final boolean interactive;
    private final Double timeout;
    private RunOutcome outcome;
    private SavedStateOptions states = SavedStateOptions.NONE;
    private BeforePowerOn beforePowerOn = () -> { };
    private SignalStop signals;
    private Consumer<MachineRunner> stopOnSignal = MachineRunner::stop;
    private Runnable expectationsMet = () -> { };
    private String name = "Strata";

    /** Checks the options (bad ones fail here, before any machine is built). */
    public ConsoleSession(ConsoleOptions options, PrintWriter err) {
        this.options = options;
        this.err = err;
        for (String e : options.expect) {
            expected.add(TextEscapes.unescape(e));
        }
        typed = options.type == null ? null : TextEscapes.unescape(options.type);
        if (typed != null) {
            TextTyper.strokes(typed); // refuses characters a US keyboard cannot type, naming them
        }
        timeout = options.timeout;
        if (timeout != null && !(timeout > 0)) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + timeout);
        }
        if (options.gui && options.headless) {
            throw new IllegalArgumentException("--gui and --headless exclude each other; pick one");
        }
        if (options.gui) {
            MachineWindow.requireDisplay();
        }
        interactive = !options.headless && !options.gui && System.console() != null;
        options.trace.check();
        options.gdb.check();
    }

    /** Work done once the machine is built (and its saved state restored), just before the CPU starts. */
    public interface BeforePowerOn {
        void run() throws IOException;
    }

    /** Sets what to do just before the CPU starts, e.g. record the VM as Running once its state was restored. */
    public ConsoleSession beforePowerOn(BeforePowerOn action) {
        this.beforePowerOn = action;
        return this;
    }

    /**
     * Ends the run with {@code howToStop} (on the signal's thread) when {@code signals} reports SIGTERM or SIGINT;
     * stopping the runner powers the machine off, and the run then ends as any other: disks and serial closed.
     */
    public ConsoleSession stopOnSignal(SignalStop signals, Consumer<MachineRunner> howToStop) {
        this.signals = signals;
        this.stopOnSignal = howToStop;
        return this;
    }

    /** Sets what to do, on the CPU thread, when the last --expect text appeared (before the machine powers off). */
    public ConsoleSession onExpectationsMet(Runnable action) {
        this.expectationsMet = action;
        return this;
    }

    /** Names the machine in the --gui window's title. */
    public ConsoleSession named(String name) {
        this.name = name;
        return this;
    }

    /** Starts the next run from a saved state instead of powering on (a Saved VM resuming). */
    public ConsoleSession restoreFrom(Path file) {
        return savedState(new SavedStateOptions(null, file, false));
    }

    /** Adds {@code strata run}'s --save-state and --restore-state. */
    ConsoleSession savedState(SavedStateOptions options) {
        this.states = options;
        return this;
    }

    /** Builds the machine from {@code settings}, runs it and returns the exit code; {@code started} sees the runner. */
    public int run(MachineSettings settings, Consumer<MachineRunner> started) throws Exception {
        PrintStream stdout = System.out;
        options.applyTo(settings);
        String serialSpec = options.serial != null ? options.serial : interactive ? "none" : "stdio";
        try (OutputRouting serial = OutputRouting.parse("--serial", serialSpec, stdout);
             OutputRouting debugcon = OutputRouting.parse("--debugcon",
                     options.debugcon != null ? options.debugcon : "none", stdout)) {
            settings.serialSink(0, serial.sink()::accept);
            settings.debugConsole(debugcon.sink());
            PcMachine machine = new PcMachine(settings);
            MachineWindow window = null;
            try {
                MachineRunner runner = new MachineRunner(machine).exitOnReset(options.exitOnReset)
                        .measureCpuTime(options.stats);
                // before the state is restored and the VM recorded Running: a window that cannot open changes nothing
                window = options.gui ? MachineWindow.open(runner, name) : null;
                try {
                    states.restoreInto(machine, err);
                } catch (IOException | RuntimeException e) {
                    throw new SavedStateRestoreException(e);
                }
                beforePowerOn.run();
                if (options.statsEvery != null) {
                    runner.onProgress(options.statsEvery, new ProgressLines(err, machine.cpu()));
                }
                TraceRecorder trace = options.trace.start(machine.cpu());
                int code = run(runner, window, started);
                return trace == null ? code : closeTrace(trace, code);
            } finally {
                if (window != null) {
                    window.close();
                }
                machine.close();
            }
        }
    }

    /** Writes out what the trace holds once the CPU has stopped; a trace that failed makes the run fail. */
    private int closeTrace(TraceRecorder trace, int code) {
        try {
            trace.close();
            return code;
        } catch (IOException e) {
            err.println("strata: --trace " + options.trace.file() + ": could not be written: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** How the last run ended, or null before it ended. */
    public RunOutcome outcome() {
        return outcome;
    }

    private int run(MachineRunner runner, MachineWindow window, Consumer<MachineRunner> started) throws Exception {
        PcMachine machine = runner.machine();
        OutputExpectations expectations = new OutputExpectations(expected);
        if (!expected.isEmpty()) {
            Runnable powerOff = states.savesOnExpectations() ? machine::requestPowerOff
                    : machine::requestPowerOffAfterSerialDrain;
            expectations.attach(machine, () -> {
                expectationsMet.run();
                powerOff.run();
            });
        }
        if (typed != null) {
            ScriptedTyping typing = new ScriptedTyping(machine, typed);
            runner.onReset(m -> typing.rearm());
        }
        TerminalSession terminal = interactive ? new TerminalSession(runner, System.out, System.in) : null;
        GdbServer gdb = options.gdb.listen(machine, runner, err);
        long windowOpened = System.nanoTime();
        RunOutcome outcome;
        try {
            if (terminal != null) {
                terminal.start();
            }
            runner.start();
            if (gdb != null) {
                gdb.start();
            }
            if (started != null) {
                started.accept(runner);
            }
            if (signals != null) {
                signals.onSignal(() -> stopOnSignal.accept(runner));
            }
            outcome = timeout == null ? runner.await()
                    : runner.await((long) (timeout * 1_000_000_000L), TimeUnit.NANOSECONDS);
            if (outcome == null) {
                runner.stop();
                outcome = runner.await();
            } else {
                outcome = runner.outcome();
            }
        } finally {
            if (terminal != null) {
                terminal.close();
            }
            if (gdb != null) {
                gdb.close();
            }
            if (window != null) {
                window.close();
            }
        }
        System.out.flush();
        states.saveAfterRun(machine, expectations.metCount() == expected.size(), err);
        String screen = machine.vga().textScreen().toText();
        if (options.screenDump != null) {
            Files.writeString(options.screenDump, screen, StandardCharsets.UTF_8);
        }
        if (options.screenshot != null) {
            FramePng.write(machine.vga().renderFrame(), options.screenshot);
        }
        if (options.stats) {
            err.println("strata: " + runner.statistics().summary()
                    + StartupTime.describe(runner.firstInstructionEpochMillis()));
            if (runner.cpuThreadNanos() >= 0) {
                err.printf(Locale.ROOT, "strata: the CPU thread took %.3f s of CPU time%n",
                        runner.cpuThreadNanos() / 1e9);
            }
            err.print(JitWork.describe());
            if (window != null) {
                double seconds = (System.nanoTime() - windowOpened) / 1e9;
                long cpuThread = Math.max(1, window.cpuThreadNanos());
                err.printf(Locale.ROOT, "strata: window: %d frames in %.1f s (%.1f per second), %d rendered on the"
                        + " window thread in %.3f s of CPU time; the pictures took %.3f s of the CPU thread's %.3f s"
                        + " of CPU time (%.1f %%)%n", window.framesDrawn(), seconds, window.framesDrawn() / seconds,
                        window.framesRendered(), window.renderNanos() / 1e9, window.captureNanos() / 1e9,
                        cpuThread / 1e9, 100.0 * window.captureNanos() / cpuThread);
            }
        }
        this.outcome = outcome;
        return report(outcome, runner, expectations, expected.size(), screen, err);
    }

    private int report(RunOutcome outcome, MachineRunner runner, OutputExpectations expectations, int wanted,
                       String screen, PrintWriter err) {
        boolean met = expectations.metCount() == wanted;
        String missing = met ? null : String.format(Locale.ROOT, "waiting for \"%s\" (%d of %d expectations met)",
                expectations.nextPending(), expectations.metCount(), wanted);
        int code;
        if (signals != null && signals.signalled()) {
            err.println("strata: stopped by a signal (SIGTERM, SIGINT or SIGHUP)");
            err.flush();
            return 1;
        }
        switch (outcome) {
            case POWERED_OFF -> code = reportEnd(met, "the machine powered off before it showed the text", missing,
                    err);
            case STOPPED -> {
                if (timeout != null && !met) {
                    err.printf(Locale.ROOT, "strata: timed out after %s s %s%n", trim(timeout), missing);
                    code = 1;
                } else {
                    code = 0;
                }
            }
            case RESET -> code = reportEnd(met, "the guest reset the machine (--exit-on-reset)", missing, err);
            case HALTED -> {
                err.println("strata: the guest halted the CPU with nothing left to wake it");
                code = met ? 0 : 1;
                if (!met) {
                    err.println("strata: " + missing);
                }
            }
            default -> {
                Throwable t = runner.failure();
                err.println("strata: the emulator failed: " + t);
                if (System.getenv("STRATA_DEBUG") != null && t != null) {
                    t.printStackTrace(err);
                }
                code = 1;
            }
        }
        if (code != 0) {
            err.println("strata: last screen:");
            err.print(screen.replaceFirst("\\n+$", "\n"));
        }
        err.flush();
        return code;
    }

    private static int reportEnd(boolean met, String what, String missing, PrintWriter err) {
        if (met) {
            return 0;
        }
        err.println("strata: " + what + "; " + missing);
        return 1;
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
