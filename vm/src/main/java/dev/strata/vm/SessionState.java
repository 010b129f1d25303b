package dev.strata.vm;

import dev.strata.emulator.vm.VmState;

/**
 * The states of a VM session, VirtualBox's machine states: the ones its settings file records (PoweredOff,
 * Running, Paused, Saved, Aborted) and the passing ones only the session that runs it knows (Starting, Saving,
 * Restoring).
 */
public enum SessionState {
    POWERED_OFF("PoweredOff", VmState.POWERED_OFF),
    STARTING("Starting", null),
    RUNNING("Running", VmState.RUNNING),
    PAUSED("Paused", VmState.PAUSED),
    SAVING("Saving", null),
    SAVED("Saved", VmState.SAVED),
    RESTORING("Restoring", null),
    ABORTED("Aborted", VmState.ABORTED);

    private final String label;
    private final VmState recorded;

    SessionState(String label, VmState recorded) {
        this.label = label;
        this.recorded = recorded;
    }

    /** VirtualBox's name for the state. */
    public String label() {
        return label;
    }

    /** What the settings file records for this state, or null for a passing one (the file keeps the last). */
    public VmState recorded() {
        return recorded;
    }

    /** The session state a VM starts in when its settings file says {@code state}. */
    public static SessionState of(VmState state) {
        for (SessionState s : values()) {
            if (s.recorded == state) {
                return s;
            }
        }
        throw new IllegalArgumentException("no session state records " + state);
    }
}
