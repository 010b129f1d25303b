package dev.strata.vm;

import dev.strata.emulator.device.vga.ScreenRenderer;
import dev.strata.emulator.device.vga.VgaPicture;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.device.keyboard.TextTyper;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.PcMachine;
import java.io.IOException;
import java.util.List;
import dev.strata.emulator.monitor.MachineInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A machine on its {@link MachineRunner} as a VM session drives it from other threads: work handed to the CPU
 * thread between batches (which runs even while the machine is paused) and waited for.
 */
public final class RunningMachine {
    /** Work on the CPU thread that may fail. */
    public interface CpuWork<T> {
        T run(PcMachine machine) throws IOException;
    }

    private final MachineRunner runner;

    public RunningMachine(MachineRunner runner) {
        this.runner = runner;
    }

    public MachineRunner runner() {
        return runner;
    }

    /** Parks the CPU after its current batch. */
    public void pause() {
        runner.pause();
    }

    public void resume() {
        runner.resume();
    }

    /** Resets the machine as its reset button would, before the next batch. */
    public void reset() {
        runner.execute(PcMachine::requestReset);
    }

    /** Pulls the plug: the run ends after the current batch. */
    public void powerOff() {
        runner.execute(PcMachine::requestPowerOff);
        runner.stop();
        runner.resume();
    }

    /** Types {@code text}; refuses, naming it, a character a US keyboard has no key for. */
    public void type(String text) {
        TextTyper.strokes(text);
        runner.execute(m -> m.keyInput().type(text));
    }

    /** The text screen, one string per row. */
    public List<String> screen() throws IOException, InterruptedException {
        return onCpu(m -> m.vga().textScreen().lines(), 10);
    }

    /**
     * A picture of the screen in any mode: the CPU thread copies what it is made of between two batches, and this
     * thread renders it, with the renderer the window uses.
     */
    public Frame frame() throws IOException, InterruptedException {
        VgaPicture picture = onCpu(m -> {
            VgaPicture p = new VgaPicture();
            m.vga().capture(p);
            return p;
        }, 10);
        return new ScreenRenderer().render(picture);
    }

    /** The monitor's {@code info TOPIC [ARG...]}: that part of the machine, readably, seen between two batches. */
    public List<String> info(String topic, List<String> args) throws IOException, InterruptedException {
        return onCpu(m -> new MachineInfo(m).show(topic, args), 10);
    }

    /** Runs {@code work} on the CPU thread and returns its result; waits at most {@code seconds}. */
    public <T> T onCpu(CpuWork<T> work, long seconds) throws IOException, InterruptedException {
        return await(submit(work, false), seconds);
    }

    /**
     * Runs {@code work} on the CPU thread and, when it succeeded, ends the run before another instruction executes
     * (so the disks stay as a saved state knows them); waits at most {@code seconds}.
     */
    public <T> T onCpuThenStop(CpuWork<T> work, long seconds) throws IOException, InterruptedException {
        return await(submit(work, true), seconds);
    }

    private <T> CompletableFuture<T> submit(CpuWork<T> work, boolean stop) {
        CompletableFuture<T> done = new CompletableFuture<>();
        runner.execute(m -> {
            try {
                T result = work.run(m);
                if (stop) {
                    runner.stop();
                }
                done.complete(result);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        if (runner.outcome() != null) {
            done.completeExceptionally(new IOException("the machine is no longer running"));
        }
        return done;
    }

    private static <T> T await(CompletableFuture<T> done, long seconds) throws IOException, InterruptedException {
        try {
            return done.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c);
        } catch (TimeoutException e) {
            throw new IOException("the machine did not answer within " + seconds + " s");
        }
    }
}
