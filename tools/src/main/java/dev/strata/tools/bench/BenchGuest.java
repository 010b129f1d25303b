package dev.strata.tools.bench;

import java.util.List;

/**
 * A workload of {@code strata bench guests}: the arguments that start it on Strata and on QEMU, and the checkpoints
 * its serial output passes, in order; the run ends at the last one.
 */
interface BenchGuest {

    /** What a workload's serial output shows when it reaches a point worth timing. */
    record Checkpoint(String label, String text) {
    }

    /** The workload's name on the command line and in the figures. */
    String name();

    List<Checkpoint> checkpoints();

    /** What follows {@code strata} to run the workload. */
    List<String> strataArguments();

    /** What the figures should be read with (printed under them), or "". */
    default String note() {
        return "";
    }

    /** What follows the QEMU program to run the workload on QEMU TCG, as ORACLES.md sets QEMU up. */
    List<String> qemuArguments();
}
