package dev.strata.junit;

import dev.strata.emulator.device.keyboard.KeyNames;
import dev.strata.emulator.display.FramePng;
import dev.strata.vm.scenario.ScenarioMachine;
import dev.strata.vm.scenario.ScreenMatch;
import dev.strata.vm.scenario.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/**
 * The guest a {@link StrataMachine} test drives: waits for text, types, reads the screen and COM1, saves and
 * restores state and snapshots.
 * The machine runs only inside these calls, on the test's thread, in virtual time counted from the instructions, so
 * what a test sees is the same on every run and host. A wait that is not met fails the test with what the screen
 * showed; the extension keeps the serial log, the screen and a saved state of a failed test in {@link #outputDir()}.
 */
public final class Guest {

    /** The system property that makes {@link #screenMatches} write its pictures instead of checking them. */
    public static final String UPDATE_SCREENS = "strata.updateScreens";

    private final ScenarioMachine machine;
    private final Duration timeout;
    private final Path outputDir;

    Guest(ScenarioMachine machine, Duration timeout, Path outputDir) {
        this.machine = machine;
        this.timeout = timeout;
        this.outputDir = outputDir;
    }

    /** Runs the guest until {@code text} shows on COM1, the debug port E9h or the screen, within the default timeout. */
    public Guest waitFor(String text) {
        return waitFor(text, timeout);
    }

    /** Runs the guest until {@code text} shows on COM1, the debug port E9h or the screen, within {@code guestTime}. */
    public Guest waitFor(String text, Duration guestTime) {
        String why = machine.waitFor(text, guestTime.toNanos());
        if (why != null) {
            throw failure("\"" + text + "\" " + why);
        }
        return this;
    }

    /** Types {@code text} (\n is Enter); the keys go in as the guest reads the keyboard while it runs. */
    public Guest type(String text) {
        machine.type(text);
        return this;
    }

    /**
     * Presses keys that typing cannot give, one chord after another: {@code keys("f8")}, {@code keys("down down
     * enter")}, {@code keys("ctrl+alt+delete")} (a chord's keys go down in order and come up in reverse).
     */
    public Guest keys(String chords) {
        machine.keys(KeyNames.chords(chords));
        return this;
    }

    /** Runs the guest for {@code guestTime} of virtual time. */
    public Guest sleep(Duration guestTime) {
        String why = machine.sleep(guestTime.toNanos());
        if (why != null) {
            throw failure("the guest did not run for " + guestTime.toMillis() + " ms: " + why);
        }
        return this;
    }

    /** The text screen as it shows now, a line per row. */
    public String screen() {
        return machine.screen();
    }

    /**
     * The part of the text screen {@code width} characters wide and {@code height} rows high from {@code column}
     * and {@code row} (from 0), a line per row: {@code screen(0, 24, 80, 1)} is the bottom line.
     */
    public String screen(int column, int row, int width, int height) {
        return new Step.TextRegion(column, row, width, height).cut(machine.screen());
    }

    /** What COM1 has sent since power-on. */
    public String serial() {
        return machine.serial();
    }

    /**
     * The file at {@code path} ({@code DIR\\NAME.EXT}) on the FAT volume of {@code disk} (fda, fdb, hda-hdd), as
     * the disk holds it now (through its throwaway differencing image: no mounting); empty when there is none.
     */
    public Optional<byte[]> file(String disk, String path) {
        try {
            return machine.readFile(disk, path);
        } catch (IOException e) {
            throw new UncheckedIOException(disk + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves the whole machine to {@code file} (relative to {@link #outputDir()} unless absolute), which
     * {@code strata run --restore-state} resumes; returns where it went.
     */
    public Path saveState(Path file) {
        Path target = outputDir.resolve(file);
        try {
            machine.saveState(target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the guest's state to " + target, e);
        }
        return target;
    }

    /**
     * Brings the guest back as {@link #saveState} left it in {@code file} earlier in this test: the machine and what
     * its disks held then.
     */
    public Guest restoreState(Path file) {
        Path source = outputDir.resolve(file);
        try {
            machine.restoreState(source);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restore the guest's state from " + source + ": "
                    + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Takes snapshot {@code name} of the running guest: its whole state and what its disks hold now, kept until
     * the test ends (the images stay as they were). Taking a name again replaces that snapshot.
     */
    public Guest snapshot(String name) {
        try {
            machine.snapshot(name);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot '" + name + "': " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Brings the guest back to snapshot {@code name} (machine and disks as they were when it was taken) and runs
     * on from there; fails the test when this test took no such snapshot.
     */
    public Guest restoreSnapshot(String name) {
        try {
            machine.restoreSnapshot(name);
        } catch (IOException e) {
            throw failure("restore snapshot: " + e.getMessage());
        }
        return this;
    }

    /** Presses the machine's reset button: the CPU and the firmware start again, RAM and disks stay. */
    public Guest reset() {
        machine.reset();
        return this;
    }

    /**
     * Runs the guest until its screen matches the PNG {@code png} (relative to the working directory) as
     * {@code rules} allow, within the default timeout; fails the test with how many pixels differed and where the
     * first is, leaving {@code actual.png} and {@code diff.png} (differences in red) in {@link #outputDir()}. With
     * the system property {@code strata.updateScreens=true} it writes {@code png} from the screen instead.
     */
    public Guest screenMatches(Path png, ScreenMatch.Rules rules) {
        return screenMatches(png, rules, timeout);
    }

    /** As {@link #screenMatches(Path, ScreenMatch.Rules)}, pixel for pixel. */
    public Guest screenMatches(Path png) {
        return screenMatches(png, ScreenMatch.Rules.EXACT, timeout);
    }

    /** As {@link #screenMatches(Path, ScreenMatch.Rules)}, within {@code guestTime}. */
    public Guest screenMatches(Path png, ScreenMatch.Rules rules, Duration guestTime) {
        try {
            if (Boolean.getBoolean(UPDATE_SCREENS)) {
                Files.createDirectories(png.toAbsolutePath().getParent());
                FramePng.write(machine.frame(), png);
                return this;
            }
            if (!Files.isRegularFile(png)) {
                throw failure("there is no picture " + png + " to compare the screen with; run with -D"
                        + UPDATE_SCREENS + "=true to write it");
            }
            ScreenMatch m = machine.screenMatches(FramePng.read(png), rules, guestTime.toNanos());
            if (!m.matches()) {
                Files.createDirectories(outputDir);
                m.write(outputDir.resolve("actual.png"), outputDir.resolve("diff.png"));
                throw failure("the screen did not match " + png + " within " + guestTime.toMillis() + " ms: "
                        + m.why() + " (see actual.png and diff.png in " + outputDir + ")");
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("screen compare with " + png + ": " + e.getMessage(), e);
        }
    }

    /** Powers the guest off and on again; the disks keep what the guest wrote (the test's throwaway layer). */
    public Guest powerCycle() {
        try {
            String why = machine.powerCycle();
            if (why != null) {
                throw failure("power cycle: " + why);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("power cycle: " + e.getMessage(), e);
        }
        return this;
    }

    /** Powers the guest off once COM1 has sent what it holds. */
    public void powerOff() {
        String why = machine.powerOff();
        if (why != null) {
            throw failure("power-off: " + why);
        }
    }

    /** Runs the guest until it powers off by itself (ACPI/APM, or its test port), within {@code guestTime}. */
    public void expectPowerOff(Duration guestTime) {
        String why = machine.expectExit(Step.Exit.POWER_OFF, guestTime.toNanos());
        if (why != null) {
            throw failure("the guest did not power off: " + why);
        }
    }

    /** Guest instructions run since power-on. */
    public long instructions() {
        return machine.instructions();
    }

    /** Guest time since power-on. */
    public Duration guestTime() {
        return Duration.ofNanos(machine.guestNanos());
    }

    /** Where this test's files go: saved states, and the serial log and screen of a failed test. */
    public Path outputDir() {
        return outputDir;
    }

    ScenarioMachine machine() {
        return machine;
    }

    private AssertionFailedError failure(String message) {
        return new AssertionFailedError(message + " after " + instructions() + " instructions; the screen:\n"
                + screen().stripTrailing());
    }
}
