package dev.strata.tools.run;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import java.time.ZoneId;

/**
 * A head start for {@code strata run}: on a second thread, while picocli builds its model of the command line
 * (70-90 ms of reflection on a cold JVM), builds a throwaway CPU and Strata's BIOS, so that the JVM has loaded and
 * initialised their classes (the instruction tables, the decoder, the BIOS ROM and its fonts) by the time the
 * machine is built. The machine from the command line was then built 15-20 ms sooner, its first instruction 20 ms
 * sooner (medians of 6 alternating runs). It also reads the host's time zone, which the RTC's power-on time needs
 * (the JDK's time-zone data: 10 ms of the main thread's CPU time when it came first there). Nothing it builds is
 * kept; if it fails, the run simply starts as before.
 */
public final class MachinePreload {

    private MachinePreload() {
    }

    /** Starts the preload on a daemon thread and returns at once. */
    public static void start() {
        Thread t = new Thread(MachinePreload::run, "strata-preload");
        t.setDaemon(true);
        t.start();
    }

    /** Builds the CPU and the firmware, reads the time zone; false if that failed (the run does it all anyway). */
    static boolean run() {
        try {
            new Cpu(new PhysicalMemory(1 << 20), new IoBus());
            DefaultFirmware.create();
            ZoneId.systemDefault(); // cached by the JDK for MachineSettings.rtcStart's LocalDateTime.now()
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
