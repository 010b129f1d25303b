package dev.strata.guests.state;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.OutputExpectations;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic demo-guest boot that can stop at a checkpoint (a virtual time, between CPU batches, as a save
 * does) and then finish until expected texts appear, keeping COM1's bytes and the final screen. Used to compare a
 * run that continues with one restored from a saved state.
 */
public final class CheckpointedBoot implements AutoCloseable {

    /** What the part of a run after the checkpoint left behind. */
    public record Tail(RunOutcome outcome, boolean allMet, String serial, String screen, long instructions) {
        public String describe() {
            return "outcome " + outcome + ", all met " + allMet + ", " + instructions + " instructions\n--- COM1:\n"
                    + serial + "\n--- screen:\n" + screen;
        }
    }

    public final PcMachine machine;
    private final ByteArrayOutputStream com1 = new ByteArrayOutputStream();

    /** Builds the machine with the floppy {@code image} in drive A: (nothing runs yet). */
    CheckpointedBoot(Path image) throws IOException {
        this(new MachineSettings().floppy(0, image).bootOrder("a"));
    }

    /** Builds the machine from {@code settings} with a deterministic clock and Strata's BIOS. */
    public CheckpointedBoot(MachineSettings settings) throws IOException {
        settings.clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios()).serialSink(0, b -> {
                    synchronized (com1) {
                        com1.write(b);
                    }
                });
        machine = new PcMachine(settings);
    }

    /** Types {@code text} at virtual time {@code nanos}. */
    CheckpointedBoot typeAt(long nanos, String text) {
        machine.clock().scheduler().schedule(new TimedEvent("test.type", d -> machine.keyInput().type(text)), nanos);
        return this;
    }

    /** Runs until virtual time {@code nanos}; the machine is then between batches, ready to save. */
    CheckpointedBoot runTo(long nanos) {
        MachineRunner runner = new MachineRunner(machine);
        machine.clock().scheduler().schedule(new TimedEvent("test.checkpoint", d -> runner.stop()), nanos);
        RunOutcome outcome = runner.run();
        if (outcome != RunOutcome.STOPPED) {
            throw new AssertionError("the guest ended before the checkpoint: " + outcome + " " + runner.failure());
        }
        serial(); // what came before the checkpoint is not part of the tail
        synchronized (com1) {
            com1.reset();
        }
        return this;
    }

    /**
     * Runs until {@code text} shows on the text screen (checked every {@code pollNanos} of virtual time, so the
     * stop point is the same in every run); fails after {@code hostSeconds}.
     */
    public CheckpointedBoot runUntilScreen(String text, long pollNanos, long hostSeconds) throws InterruptedException {
        MachineRunner runner = new MachineRunner(machine);
        TimedEvent[] poll = new TimedEvent[1];
        poll[0] = new TimedEvent("test.checkpoint", d -> {
            if (machine.vga().textScreen().toText().contains(text)) {
                runner.stop();
            } else {
                machine.clock().scheduler().schedule(poll[0], d + pollNanos);
            }
        });
        machine.clock().scheduler().scheduleIn(poll[0], pollNanos);
        runner.start();
        RunOutcome outcome = runner.await(hostSeconds, TimeUnit.SECONDS);
        if (outcome != RunOutcome.STOPPED) {
            runner.stop();
            runner.await();
            machine.clock().scheduler().cancel(poll[0]);
            throw new AssertionError("'" + text + "' did not show (" + outcome + "):\n"
                    + machine.vga().textScreen().toText());
        }
        synchronized (com1) {
            com1.reset();
        }
        return this;
    }

    /** Runs on until every text in {@code expect} has appeared and the machine powered off (or 60 s pass). */
    public Tail finish(List<String> expect) throws InterruptedException {
        MachineRunner runner = new MachineRunner(machine).exitOnReset(true);
        OutputExpectations expectations = new OutputExpectations(expect);
        expectations.attach(machine, machine::requestPowerOffAfterSerialDrain);
        runner.start();
        RunOutcome outcome = runner.await(60, TimeUnit.SECONDS);
        if (outcome == null) {
            runner.stop();
            outcome = runner.await();
        }
        return new Tail(outcome, expectations.allMet(), serial(), machine.vga().textScreen().toText(),
                machine.cpu().instructions);
    }

    private String serial() {
        synchronized (com1) {
            return com1.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        machine.close();
    }
}
