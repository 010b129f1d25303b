package dev.strata.tools.run;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.device.keyboard.TextTyper;
import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.OutputExpectations;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RomImageFirmware;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.guests.demo.DemoGuest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata run}: builds a PC from the options, runs it, and reports how the run ended. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Boot a PC: Strata's BIOS (or --bios), the given floppy and hard disk images, a VGA text"
                + " screen, COM1, the keyboard. With no --fda or --hda it boots the bundled demo guest.",
                "Headless runs are for scripts and tests: --expect texts are waited for on COM1, the debug port"
                + " E9h or the screen, in order; once all appear the machine powers off cleanly (exit 0).",
                "On a terminal without --headless the screen is drawn in place and keys go to the guest;"
                + " Ctrl-] then q quits, r resets, d sends Ctrl-Alt-Del."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the machine powered off, or every --expect was met", "1:an expectation was not met in"
                + " time, the guest stopped first, or an error", "2:bad options"})
public final class RunCommand implements Callable<Integer> {

    /** Virtual time after power-on at which {@code --type} starts typing. */
    static final long TYPE_DELAY_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--fda", paramLabel = "IMG", description = "floppy image for drive A:")
    Path fda;

    @Option(names = "--hda", paramLabel = "IMG", description = "hard disk on the primary master (BIOS drive 80h);"
            + " any image format Strata reads, with its differencing chain")
    Path hda;

    @Option(names = "--hdb", paramLabel = "IMG", description = "hard disk on the primary slave")
    Path hdb;

    @Option(names = "--hdc", paramLabel = "IMG", description = "hard disk on the secondary master (not with"
            + " --cdrom)")
    Path hdc;

    @Option(names = "--hdd", paramLabel = "IMG", description = "hard disk on the secondary slave")
    Path hdd;

    @Option(names = "--cdrom", paramLabel = "ISO", description = "CD image in the ATAPI drive on the secondary"
            + " master (read-only; El Torito bootable with --boot d)")
    Path cdrom;

    @Option(names = "--boot", paramLabel = "a|c|d", description = "boot drive(s), tried in order, e.g. dc"
            + " (default: a with a floppy, else d with a CD, else c)")
    String boot;

    @Option(names = "--snapshot", description = "run the hard disks over throwaway differencing images in a"
            + " temporary folder, deleted at exit: nothing is written to the original images")
    boolean snapshot;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "32", description = "RAM in MB (default 32)")
    int memoryMb;

    @Option(names = "--bios", paramLabel = "FILE", description = "a BIOS ROM image of 64, 128 or 256 KiB"
            + " instead of Strata's BIOS")
    Path bios;

    @Option(names = "--headless", description = "no screen or keyboard on the terminal; COM1 goes to stdout"
            + " unless --serial says otherwise")
    boolean headless;

    @Option(names = "--serial", paramLabel = "stdio|file:PATH|none", description = "where COM1 output goes"
            + " (default: stdio when headless, else none)")
    String serial;

    @Option(names = "--expect", paramLabel = "TEXT", description = "wait for TEXT on COM1, E9h or the screen"
            + " (repeatable; met in order; escapes \\n \\r \\t \\e)")
    List<String> expect = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SEC", description = "give up after SEC host seconds: exit 1 and"
            + " print the screen if an expectation is still missing")
    Double timeout;

    @Option(names = "--screen-dump", paramLabel = "FILE", description = "write the text screen to FILE at exit")
    Path screenDump;

    @Option(names = "--deterministic", description = "virtual time from the instruction count: the same input"
            + " gives the same output every run")
    boolean deterministic;

    @Option(names = "--stats", description = "print instructions, MIPS, seconds and block-cache hit rate to"
            + " stderr at exit")
    boolean stats;

    @Option(names = "--exit-on-reset", description = "end the run when the guest resets the machine")
    boolean exitOnReset;

    @Option(names = "--post-log", description = "print POST codes (port 80h) to stderr")
    boolean postLog;

    @Option(names = "--type", paramLabel = "TEXT", description = "type TEXT on the guest's keyboard, starting one"
            + " virtual second after power-on (escapes \\n \\r \\t \\e \\b)")
    String type;

    @Option(names = "--save-state", paramLabel = "FILE", description = "once every --expect is met, save the"
            + " machine's state to FILE and exit instead of powering off")
    Path saveState;

    @Option(names = "--restore-state", paramLabel = "FILE", description = "start from a state saved with"
            + " --save-state (give the same memory and drives)")
    Path restoreState;

    private SavedStateOptions states;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = System.out;
        PrintWriter err = spec.commandLine().getErr();
        MachineSettings settings = settings(err);
        List<String> expected = new ArrayList<>();
        for (String e : expect) {
            expected.add(TextEscapes.unescape(e));
        }
        String typed = type == null ? null : TextEscapes.unescape(type);
        if (typed != null) {
            TextTyper.strokes(typed); // refuses characters a US keyboard cannot type, naming them
        }
        if (timeout != null && !(timeout > 0)) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + timeout);
        }
        states = new SavedStateOptions(saveState, restoreState, !expected.isEmpty());
        boolean interactive = !headless && System.console() != null;
        String serialSpec = serial != null ? serial : interactive ? "none" : "stdio";
        Path demo = null;
        try (SerialRouting routing = SerialRouting.parse(serialSpec, stdout)) {
            if (fda == null && !anyHardDiskOrCd()) {
                demo = DemoGuest.copyTo(Files.createTempFile("strata-demo-", ".img"));
                settings.floppy(0, demo).bootOrder(boot != null ? boot : "a");
            }
            settings.serialSink(0, routing.sink());
            PcMachine machine = new PcMachine(settings);
            try {
                states.restoreInto(machine, err);
                return run(machine, expected, typed, interactive, err);
            } finally {
                machine.close();
            }
        } finally {
            if (demo != null) {
                Files.deleteIfExists(demo);
            }
        }
    }

    private MachineSettings settings(PrintWriter err) throws IOException {
        MachineSettings s = new MachineSettings().memoryMb(memoryMb)
                .clockMode(deterministic ? ClockMode.DETERMINISTIC : ClockMode.REALTIME);
        if (fda != null) {
            s.floppy(0, existing(fda, "--fda"));
        }
        Path[] disks = {hda, hdb, hdc, hdd};
        for (int i = 0; i < disks.length; i++) {
            if (disks[i] != null) {
                String option = "--hd" + (char) ('a' + i);
                s.hardDisk(i, existing(disks[i], option));
                s.hardDiskReadOnly(i, ReadOnlyMedia.isReadOnly(disks[i], err));
            }
        }
        if (cdrom != null) {
            if (hdc != null) {
                throw new IllegalArgumentException("--cdrom takes the secondary master, where --hdc would go:"
                        + " give that disk as --hdd instead");
            }
            s.cdrom(existing(cdrom, "--cdrom"));
        }
        s.snapshot(snapshot);
        s.bootOrder(boot != null ? boot : fda != null ? "a" : cdrom != null && hda == null ? "d" : "c");
        if (postLog) {
            s.postCodeListener(code -> {
                err.printf("POST %02Xh%n", code);
                err.flush();
            });
        }
        s.firmware(firmware());
        return s;
    }

    private boolean anyHardDiskOrCd() {
        return hda != null || hdb != null || hdc != null || hdd != null || cdrom != null;
    }

    private static Path existing(Path path, String option) throws NoSuchFileException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, option + ": no such image file");
        }
        return path;
    }

    private Firmware firmware() throws IOException {
        if (bios == null) {
            return DefaultFirmware.create();
        }
        if (!Files.isRegularFile(bios)) {
            throw new NoSuchFileException(bios.toString(), null, "--bios: no such BIOS image file");
        }
        return RomImageFirmware.load(bios);
    }

    private int run(PcMachine machine, List<String> expected, String typed, boolean interactive, PrintWriter err)
            throws Exception {
        MachineRunner runner = new MachineRunner(machine).exitOnReset(exitOnReset);
        OutputExpectations expectations = new OutputExpectations(expected);
        if (!expected.isEmpty()) {
            expectations.attach(machine, states.savesOnExpectations() ? machine::requestPowerOff
                    : machine::requestPowerOffAfterSerialDrain);
        }
        if (typed != null) {
            scheduleTyping(machine, typed);
            runner.onReset(m -> scheduleTyping(m, typed));
        }
        TerminalSession terminal = interactive ? new TerminalSession(runner, System.out, System.in) : null;
        RunOutcome outcome;
        try {
            if (terminal != null) {
                terminal.start();
            }
            runner.start();
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
        }
        System.out.flush();
        states.saveAfterRun(machine, expectations.metCount() == expected.size(), err);
        String screen = machine.vga().textScreen().toText();
        if (screenDump != null) {
            Files.writeString(screenDump, screen, StandardCharsets.UTF_8);
        }
        if (stats) {
            err.println("strata: " + runner.statistics().summary());
        }
        return report(outcome, runner, expectations, expected.size(), screen, err);
    }

    private int report(RunOutcome outcome, MachineRunner runner, OutputExpectations expectations, int wanted,
                       String screen, PrintWriter err) {
        boolean met = expectations.metCount() == wanted;
        String missing = met ? null : String.format(Locale.ROOT, "waiting for \"%s\" (%d of %d expectations met)",
                expectations.nextPending(), expectations.metCount(), wanted);
        int code;
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

    /** Types on the virtual clock, so a deterministic run gets its keys at the same instruction every time. */
    private static void scheduleTyping(PcMachine machine, String text) {
        TimedEvent start = new TimedEvent("run.type", deadline -> machine.keyInput().type(text));
        machine.clock().scheduler().scheduleIn(start, TYPE_DELAY_NANOS);
    }
}
