package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The preload builds what a run's machine needs first, without help from the command line. */
class MachinePreloadTest {

    @Test
    void thePreloadBuildsACpuAndTheDefaultFirmware() {
        assertTrue(MachinePreload.run());
    }
}
