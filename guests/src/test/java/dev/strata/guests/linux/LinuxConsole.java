package dev.strata.guests.linux;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.OutputExpectations;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic Linux session driven like a person at a terminal: each step waits for a text on COM1 (or on the
 * VGA text screen) and then sends a line on COM1's receive side (or types it on the keyboard). Steps are checked on
 * the CPU thread (per received byte, or every 50 ms of virtual time for the screen), so the same guest gets its
 * input at the same instruction in every run. A kernel that refuses the CPU stops the run at once.
 */
final class LinuxConsole implements AutoCloseable {

    /** What a session left behind. */
    record Result(RunOutcome outcome, boolean allMet, String pending, String serial, String screen,
            long instructions) {
        String describe() {
            return "outcome " + outcome + ", waiting for " + pending + ", " + instructions + " instructions\n"
                    + "--- COM1 (last 6000 characters):\n" + tail(serial, 6000) + "\n--- screen:\n" + screen;
        }

        private static String tail(String s, int n) {
            return s.length() <= n ? s : s.substring(s.length() - n);
        }
    }

    private record Step(String waitFor, String send, boolean screen) {
    }

    /**
     * Where the machine was when a marked text appeared on COM1: its instruction count, virtual time, host time and
     * the CPU thread's own CPU time (which other work on the host disturbs less than the host's clock).
     */
    record Mark(String text, long instructions, long virtualNanos, long hostNanos, long cpuThreadNanos) {
    }

    private static final long SCREEN_POLL_NANOS = 50_000_000L;

    final PcMachine machine;
    private final StringBuilder serial = new StringBuilder();
    private final ArrayDeque<Integer> input = new ArrayDeque<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private int next;
    private int searchFrom;
    private String beforeCheckpoint = "";
    private boolean refused;
    private boolean survivesResets;
    private MachineRunner runner;

    /** Builds the machine (deterministic clock, Strata's BIOS) from {@code settings}; nothing runs yet. */
    LinuxConsole(MachineSettings settings) throws IOException {
        settings.clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios());
        settings.serialSink(0, this::received);
        settings.serialSource(0, () -> input.isEmpty() ? -1 : input.poll());
        machine = new PcMachine(settings);
    }

    /**
     * Looks at the text screen every 50 ms of virtual time from now: for screen steps, and to stop at once when the
     * kernel's setup refuses the CPU (it says so on the screen only). Sessions that save or restore a state leave
     * it off, so that the original and the restored run see the same events.
     */
    LinuxConsole watchScreen() {
        TimedEvent[] poll = new TimedEvent[1];
        poll[0] = new TimedEvent("test.screen", deadline -> {
            screenStep();
            machine.clock().scheduler().schedule(poll[0], deadline + SCREEN_POLL_NANOS);
        });
        machine.clock().scheduler().scheduleIn(poll[0], SCREEN_POLL_NANOS);
        return this;
    }

    /** When {@code text} next appears on COM1, sends {@code line} to COM1 ("\r" is Enter). */
    LinuxConsole onSerial(String text, String line) {
        steps.add(new Step(text, line, false));
        return this;
    }

    /**
     * When {@code text} next appears on COM1, notes the instruction count and the virtual and host time (see
     * {@link #marks}); sends nothing. Marks are steps: they come in the order given, between the other steps.
     */
    LinuxConsole mark(String text) {
        steps.add(new Step(text, null, false));
        return this;
    }

    /** The marks met so far, in order. */
    List<Mark> marks() {
        return List.copyOf(marks);
    }

    /** When {@code text} shows on the text screen, types {@code line} on the keyboard (needs {@link #watchScreen}). */
    LinuxConsole onScreen(String text, String line) {
        steps.add(new Step(text, line, true));
        return this;
    }

    private void received(int b) {
        synchronized (serial) {
            serial.append((char) (b & 0xFF));
        }
        if (serial.length() > 20 && serial.indexOf(LinuxGuest.CPU_REFUSED, Math.max(0, serial.length() - 40)) >= 0) {
            refuse();
        }
        if (next < steps.size() && !steps.get(next).screen()) {
            Step s = steps.get(next);
            // only the newest characters can complete the text: the search stays linear in the output
            int at = serial.indexOf(s.waitFor(), Math.max(searchFrom, serial.length() - s.waitFor().length()));
            if (at >= 0) {
                searchFrom = at + s.waitFor().length();
                next++;
                if (s.send() == null) {
                    marks.add(new Mark(s.waitFor(), machine.cpu().instructions, machine.clock().nanos(),
                            System.nanoTime(), ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()));
                    return;
                }
                for (char c : s.send().toCharArray()) {
                    input.add((int) c);
                }
                machine.serial(0).inputAvailable(); // the UART starts receiving one character per character time
            }
        }
    }

    private void screenStep() {
        String screen = machine.vga().textScreen().toText();
        if (screen.contains(LinuxGuest.CPU_REFUSED)) {
            refuse();
        }
        if (next < steps.size() && steps.get(next).screen() && screen.contains(steps.get(next).waitFor())) {
            machine.keyInput().type(steps.get(next++).send());
        }
    }

    private void refuse() {
        if (!refused && runner != null) {
            refused = true;
            runner.stop();
        }
    }

    /**
     * Lets the session go on through a reset (the BIOS starts again, as on a PC), for a test of rebooting; without
     * it a reset ends the run, since a guest that triple-faults would otherwise boot again and again.
     */
    LinuxConsole survivingResets() {
        survivesResets = true;
        return this;
    }

    /** Runs until every text in {@code expect} appeared in order (then powers off), or {@code hostSeconds} pass. */
    Result run(List<String> expect, long hostSeconds) throws InterruptedException {
        runner = new MachineRunner(machine).exitOnReset(!survivesResets);
        OutputExpectations expectations = new OutputExpectations(expect);
        expectations.attach(machine, machine::requestPowerOffAfterSerialDrain);
        runner.start();
        RunOutcome outcome = runner.await(hostSeconds, TimeUnit.SECONDS);
        if (outcome == null) {
            runner.stop();
            outcome = runner.await();
        }
        String text;
        synchronized (serial) {
            text = serial.toString();
        }
        return new Result(outcome, expectations.allMet(), expectations.nextPending(), text,
                machine.vga().textScreen().toText(), machine.cpu().instructions);
    }

    /** Runs until virtual time {@code nanos}, stopping between CPU batches (where a state can be saved). */
    void runTo(long nanos) {
        runner = new MachineRunner(machine);
        MachineRunner r = runner;
        machine.clock().scheduler().schedule(new TimedEvent("test.checkpoint", d -> r.stop()), nanos);
        RunOutcome outcome = r.run();
        String screen = machine.vga().textScreen().toText();
        if (screen.contains(LinuxGuest.CPU_REFUSED)) {
            throw new AssertionError("the kernel refused the CPU before the checkpoint:\n" + screen);
        }
        if (outcome != RunOutcome.STOPPED) {
            throw new AssertionError("the guest ended before the checkpoint: " + outcome + "\n" + serialText());
        }
        synchronized (serial) {
            beforeCheckpoint = serial.toString();
            serial.setLength(0);
            searchFrom = 0;
        }
    }

    /** What COM1 received before {@link #runTo}'s checkpoint ("" without one). */
    String serialBeforeCheckpoint() {
        return beforeCheckpoint;
    }

    String serialText() {
        synchronized (serial) {
            return serial.toString();
        }
    }

    @Override
    public void close() throws IOException {
        machine.close();
    }
}
