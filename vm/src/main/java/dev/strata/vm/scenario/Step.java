package dev.strata.vm.scenario;

import dev.strata.emulator.device.keyboard.Key;
import dev.strata.emulator.device.keyboard.KeyNames;
import dev.strata.emulator.display.FrameDiff;
import java.util.List;
import java.nio.file.Path;

/** One step of a scenario, run in order on the scenario's machine. */
public sealed interface Step {

    /** How the step reads in reports, e.g. {@code wait "A:\>"}. */
    String describe();

    /** Runs the machine until {@code text} shows on COM1, the debug port E9h or the screen. */
    record Wait(String text, long timeoutNanos) implements Step {
        @Override
        public String describe() {
            return "wait " + Scenario.quote(text);
        }
    }

    /** Types {@code text} on the keyboard (the keys go in as the guest reads them). */
    record Type(String text) implements Step {
        @Override
        public String describe() {
            return "type " + Scenario.quote(text);
        }
    }

    /**
     * Presses keys that typing cannot give (F8, arrows, Ctrl+Alt+Del), each chord's keys going down in order and
     * coming up in reverse; they go in as the guest reads the keyboard.
     */
    record Keys(List<List<Key>> chords) implements Step {
        @Override
        public String describe() {
            return "keys " + String.join(" ", chords.stream().map(KeyNames::name).toList());
        }
    }

    /** Checks that the text screen shows {@code text} now. */
    record ScreenContains(String text, TextRegion region) implements Step {
        /** Anywhere on the screen. */
        public ScreenContains(String text) {
            this(text, null);
        }

        @Override
        public String describe() {
            return "screen-contains " + Scenario.quote(text) + (region == null ? "" : " in " + region);
        }
    }

    /** A rectangle of the text screen, in character cells: the first column and row (from 0), width and height. */
    record TextRegion(int column, int row, int width, int height) {
        /** The part of {@code screen} (a line per row) inside the rectangle, a line per row; blanks where it is off. */
        public String cut(String screen) {
            String[] lines = screen.split("\n", -1);
            StringBuilder b = new StringBuilder();
            for (int r = row; r < row + height; r++) {
                String line = r < lines.length ? lines[r] : "";
                String part = column < line.length() ? line.substring(column, Math.min(line.length(), column + width))
                        : "";
                b.append(r == row ? "" : "\n").append(part);
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return "[" + column + ", " + row + ", " + width + ", " + height + "]";
        }
    }

    /** Checks that COM1 has sent {@code text} since the machine started. */
    record SerialContains(String text) implements Step {
        @Override
        public String describe() {
            return "serial-contains " + Scenario.quote(text);
        }
    }

    /**
     * Saves the whole machine's state to {@code file} (relative to the run's output folder unless absolute), and
     * keeps what the run's disks hold then, for a {@link RestoreState} of the same name.
     */
    record SaveState(Path file) implements Step {
        @Override
        public String describe() {
            return "save-state " + file;
        }
    }

    /**
     * Checks that the file at {@code path} on the FAT volume of {@code disk} (fda, fdb, hda-hdd) holds {@code text}
     * (empty: that it exists), read through the disk's image or differencing chain as it is now, no mounting.
     */
    record FileContains(String disk, String path, String text) implements Step {
        /** The disks a scenario can name. */
        public static final java.util.List<String> DISKS = java.util.List.of("fda", "fdb", "hda", "hdb", "hdc", "hdd");

        @Override
        public String describe() {
            return "file-contains " + disk + ":" + path + " " + Scenario.quote(text);
        }
    }

    /**
     * Runs {@code command} on the host ({@code sh -c}) in {@code folder} (the scenario file's), with the machine
     * stopped meanwhile; fails unless it exits 0 within {@code timeoutMillis} of host time.
     */
    record Host(String command, Path folder, long timeoutMillis) implements Step {
        @Override
        public String describe() {
            return "host " + Scenario.quote(command);
        }
    }

    /** Runs the machine for {@code nanos} of virtual time. */
    record Sleep(long nanos) implements Step {
        @Override
        public String describe() {
            return "sleep " + Scenario.seconds(nanos) + " s";
        }
    }

    /** Runs the machine until it powers off, resets or halts for good, and checks that it ended as {@code end}. */
    record ExpectExit(Exit end, long timeoutNanos) implements Step {
        @Override
        public String describe() {
            return "expect-exit " + end.key;
        }
    }

    /** Powers the machine off once COM1 has sent what the guest gave it (the scenario ends here). */
    record PowerOff() implements Step {
        @Override
        public String describe() {
            return "power-off";
        }
    }

    /**
     * Waits until the rendered screen matches the PNG {@code png} (within {@code tolerance} per colour channel, at most
     * {@code maxDiffering} pixels off, {@code mask} left out), checking as the guest runs, for at most
     * {@code timeoutNanos} of guest time.
     */
    record ScreenMatches(Path png, int tolerance, long maxDiffering, java.util.List<FrameDiff.Rect> mask,
            long timeoutNanos) implements Step {
        public ScreenMatches {
            mask = java.util.List.copyOf(mask);
        }

        @Override
        public String describe() {
            return "screen-matches " + png.getFileName();
        }
    }

    /** Powers the machine off and boots it again on what its disks hold now (the run's write layer, or the VM's). */
    record PowerCycle() implements Step {
        @Override
        public String describe() {
            return "power-cycle";
        }
    }

    /** Resets the machine as its reset button does: RAM and disks stay, the BIOS starts again. */
    record Reset() implements Step {
        @Override
        public String describe() {
            return "reset";
        }
    }

    /** Brings back the machine (and the run's disks) as {@link SaveState} left them in the run's {@code file}. */
    record RestoreState(Path file) implements Step {
        @Override
        public String describe() {
            return "restore-state " + file;
        }
    }

    /**
     * Takes snapshot {@code name}: in a persisting VM run an online snapshot of the VM, as {@code strata snapshot VM
     * take NAME --live} does; in any other run one the run keeps for itself (the machine's state and its write layer).
     */
    record Snapshot(String name) implements Step {
        @Override
        public String describe() {
            return "snapshot " + Scenario.quote(name);
        }
    }

    /**
     * Restores snapshot {@code name} and runs on from it: a persisting VM run restores the VM's (resumes an online
     * one, boots an offline one); any other run its own snapshot of that name, else on a VM the VM's snapshot onto
     * the run's write layer.
     */
    record RestoreSnapshot(String name) implements Step {
        @Override
        public String describe() {
            return "restore-snapshot " + Scenario.quote(name);
        }
    }

    /** How a machine's run can end by itself. */
    enum Exit {
        POWER_OFF("power-off"), RESET("reset"), HALT("halt");

        /** The word a scenario file uses. */
        public final String key;

        Exit(String key) {
            this.key = key;
        }
    }
}
