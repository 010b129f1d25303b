package dev.strata.guests;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots a guest the way {@code strata run --headless --deterministic --expect ...} does and keeps what it printed:
 * COM1 bytes, the final text screen and the run statistics. Guest tests assert on the result.
 */
public final class GuestBoot {

    /** What a boot left behind. */
    public record Result(RunOutcome outcome, boolean allMet, String pending, String serial, String screen,
                  long instructions) {
        public String describe() {
            return "outcome " + outcome + ", waiting for " + pending + ", " + instructions + " instructions\n--- COM1:\n"
                    + serial + "\n--- screen:\n" + screen;
        }
    }

    private static final long TYPE_POLL_NANOS = 50_000_000L;

    private GuestBoot() {
    }

    /**
     * Runs {@code settings} (deterministic clock, Strata's BIOS) until every text in {@code expect} has appeared on
     * COM1, E9h or the screen, or {@code hostSeconds} pass. {@code typed} (or null) is typed one virtual second
     * after power-on.
     */
    public static Result run(MachineSettings settings, List<String> expect, String typed, long hostSeconds)
            throws IOException, InterruptedException {
        return run(settings, expect, null, typed, hostSeconds);
    }

    /**
     * As {@link #run(MachineSettings, List, String, long)}, but {@code typed} is typed once {@code typeAfter} shows
     * on the text screen (checked every 50 ms of virtual time), e.g. after a DOS prompt; null types at one second.
     */
    public static Result run(MachineSettings settings, List<String> expect, String typeAfter, String typed,
            long hostSeconds) throws IOException, InterruptedException {
        return run(settings, expect, typeAfter, typed, hostSeconds, m -> { });
    }

    /**
     * As {@link #run(MachineSettings, List, String, String, long)}, handing the machine to {@code built} before it
     * starts (a test that looks at devices while the guest runs keeps it).
     */
    public static Result run(MachineSettings settings, List<String> expect, String typeAfter, String typed,
            long hostSeconds, java.util.function.Consumer<PcMachine> built) throws IOException, InterruptedException {
        settings.clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios());
        ByteArrayOutputStream com1 = new ByteArrayOutputStream();
        settings.serialSink(0, b -> {
            synchronized (com1) {
                com1.write(b);
            }
        });
        PcMachine machine = new PcMachine(settings);
        built.accept(machine);
        try {
            MachineRunner runner = new MachineRunner(machine).exitOnReset(true);
            OutputExpectations expectations = new OutputExpectations(expect);
            expectations.attach(machine, machine::requestPowerOffAfterSerialDrain);
            if (typed != null && typeAfter == null) {
                TimedEvent typing = new TimedEvent("test.type", deadline -> machine.keyInput().type(typed));
                machine.clock().scheduler().scheduleIn(typing, 1_000_000_000L);
            } else if (typed != null) {
                TimedEvent[] watch = new TimedEvent[1];
                watch[0] = new TimedEvent("test.type-after", deadline -> {
                    if (machine.vga().textScreen().toText().contains(typeAfter)) {
                        machine.keyInput().type(typed);
                    } else {
                        machine.clock().scheduler().schedule(watch[0], deadline + TYPE_POLL_NANOS);
                    }
                });
                machine.clock().scheduler().scheduleIn(watch[0], TYPE_POLL_NANOS);
            }
            runner.start();
            RunOutcome outcome = runner.await(hostSeconds, TimeUnit.SECONDS);
            if (outcome == null) {
                runner.stop();
                outcome = runner.await();
            }
            String serial;
            synchronized (com1) {
                serial = com1.toString(StandardCharsets.ISO_8859_1);
            }
            return new Result(outcome, expectations.allMet(), expectations.nextPending(), serial,
                    machine.vga().textScreen().toText(), runner.statistics().instructions());
        } finally {
            machine.close();
        }
    }
}
