package dev.strata.vm;

import static dev.strata.vm.SessionState.ABORTED;
import static dev.strata.vm.SessionState.PAUSED;
import static dev.strata.vm.SessionState.POWERED_OFF;
import static dev.strata.vm.SessionState.RESTORING;
import static dev.strata.vm.SessionState.RUNNING;
import static dev.strata.vm.SessionState.SAVED;
import static dev.strata.vm.SessionState.SAVING;
import static dev.strata.vm.SessionState.STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.VmState;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmLifecycleTest {
    /** VirtualBox's transitions, written out once more so a change to the table shows up here. */
    private static final Map<SessionState, Set<SessionState>> EXPECTED = Map.of(
            POWERED_OFF, EnumSet.of(STARTING),
            STARTING, EnumSet.of(RUNNING, POWERED_OFF, ABORTED),
            RUNNING, EnumSet.of(PAUSED, SAVING, POWERED_OFF, ABORTED),
            PAUSED, EnumSet.of(RUNNING, SAVING, POWERED_OFF, ABORTED),
            SAVING, EnumSet.of(SAVED, RUNNING, PAUSED, POWERED_OFF, ABORTED),
            SAVED, EnumSet.of(RESTORING, POWERED_OFF),
            RESTORING, EnumSet.of(RUNNING, SAVED, ABORTED),
            ABORTED, EnumSet.of(STARTING));

    @Test
    void everyLegalTransitionIsMade() {
        for (SessionState from : SessionState.values()) {
            for (SessionState to : EXPECTED.get(from)) {
                VmLifecycle life = new VmLifecycle("demo", from);
                assertEquals(from, life.moveTo(to));
                assertEquals(to, life.state(), from + " -> " + to);
            }
        }
    }

    @Test
    void everyOtherTransitionIsRefusedNamingTheStateAndTheRequest() {
        for (SessionState from : SessionState.values()) {
            for (SessionState to : EnumSet.complementOf(EnumSet.copyOf(EXPECTED.get(from)))) {
                VmLifecycle life = new VmLifecycle("demo", from);
                VmStateException e = assertThrows(VmStateException.class, () -> life.moveTo(to));
                assertEquals(from, e.state());
                assertEquals(from, life.state(), "a refused transition changes nothing");
                String msg = e.getMessage();
                assertTrue(msg.startsWith("VM 'demo' is " + from.label() + " and cannot go to " + to.label()
                        + " (from " + from.label() + " it goes to "), msg);
            }
        }
    }

    @Test
    void theRefusalListsWhereTheStateCanGo() {
        VmLifecycle life = new VmLifecycle("demo", SAVED);
        assertEquals("VM 'demo' is Saved and cannot go to Paused (from Saved it goes to PoweredOff, Restoring)",
                assertThrows(VmStateException.class, () -> life.moveTo(PAUSED)).getMessage());
    }

    @Test
    void anOperationTheStateDoesNotAllowIsRefusedNamingBoth() {
        VmLifecycle life = new VmLifecycle("demo", PAUSED);
        life.require("resume", EnumSet.of(PAUSED));
        assertEquals("VM 'demo' is Paused; pause needs it Running",
                assertThrows(VmStateException.class, () -> life.require("pause", EnumSet.of(RUNNING))).getMessage());
        assertEquals("VM 'demo' is Saved; savestate needs it Running or Paused", assertThrows(VmStateException.class,
                () -> new VmLifecycle("demo", SAVED).require("savestate", EnumSet.of(RUNNING, PAUSED))).getMessage());
    }

    @Test
    void onlyThePassingStatesAreNotRecordedInTheSettingsFile() {
        for (SessionState s : List.of(STARTING, SAVING, RESTORING)) {
            assertNull(s.recorded(), s.label());
        }
        for (VmState v : VmState.values()) {
            assertEquals(v, SessionState.of(v).recorded());
            assertEquals(v.label(), SessionState.of(v).label());
        }
    }
}
