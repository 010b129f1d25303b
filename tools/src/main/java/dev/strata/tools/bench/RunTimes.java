package dev.strata.tools.bench;

/**
 * One emulator run's figures at each checkpoint: wall seconds from the process's start, and the CPU seconds its
 * emulating thread and all its threads had used by then ({@link EmulatorCpuClock}; NaN where they could not be read).
 */
record RunTimes(double[] wall, double[] thread, double[] process) {

    /** True when the CPU seconds at every checkpoint were read. */
    boolean hasCpu() {
        for (int k = 0; k < wall.length; k++) {
            if (Double.isNaN(thread[k]) || Double.isNaN(process[k])) {
                return false;
            }
        }
        return true;
    }
}
