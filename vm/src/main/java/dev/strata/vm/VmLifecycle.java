package dev.strata.vm;

import static dev.strata.vm.SessionState.ABORTED;
import static dev.strata.vm.SessionState.PAUSED;
import static dev.strata.vm.SessionState.POWERED_OFF;
import static dev.strata.vm.SessionState.RESTORING;
import static dev.strata.vm.SessionState.RUNNING;
import static dev.strata.vm.SessionState.SAVED;
import static dev.strata.vm.SessionState.SAVING;
import static dev.strata.vm.SessionState.STARTING;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The state machine of a VM session: its state, and the transitions VirtualBox allows between them; any other is
 * refused with a {@link VmStateException} naming the VM, its state and what was asked.
 */
public final class VmLifecycle {
    private static final Map<SessionState, Set<SessionState>> LEGAL = new EnumMap<>(SessionState.class);

    static {
        LEGAL.put(POWERED_OFF, EnumSet.of(STARTING));
        LEGAL.put(STARTING, EnumSet.of(RUNNING, POWERED_OFF, ABORTED)); // a start that fails powers off
        LEGAL.put(RUNNING, EnumSet.of(PAUSED, SAVING, POWERED_OFF, ABORTED));
        LEGAL.put(PAUSED, EnumSet.of(RUNNING, SAVING, POWERED_OFF, ABORTED));
        // a save that fails leaves the VM as it was (Running or Paused), or powered off when it had to stop
        LEGAL.put(SAVING, EnumSet.of(SAVED, RUNNING, PAUSED, POWERED_OFF, ABORTED));
        LEGAL.put(SAVED, EnumSet.of(RESTORING, POWERED_OFF)); // PoweredOff: the saved state discarded
        LEGAL.put(RESTORING, EnumSet.of(RUNNING, SAVED, ABORTED)); // Saved: a resume that fails keeps the state
        LEGAL.put(ABORTED, EnumSet.of(STARTING));
    }

    private final String vm;
    private SessionState state;

    public VmLifecycle(String vm, SessionState initial) {
        this.vm = vm;
        this.state = initial;
    }

    public synchronized SessionState state() {
        return state;
    }

    /** True when the machine may go from {@code from} to {@code to}. */
    public static boolean legal(SessionState from, SessionState to) {
        return LEGAL.get(from).contains(to);
    }

    /** Moves to {@code next} and returns the state before; refuses a transition the table does not allow. */
    public synchronized SessionState moveTo(SessionState next) {
        if (!legal(state, next)) {
            String allowed = LEGAL.get(state).stream().map(SessionState::label).collect(Collectors.joining(", "));
            throw new VmStateException(state, "VM '" + vm + "' is " + state.label() + " and cannot go to "
                    + next.label() + " (from " + state.label() + " it goes to " + allowed + ")");
        }
        SessionState previous = state;
        state = next;
        return previous;
    }

    /** Refuses {@code operation} unless the VM is in one of {@code allowed}. */
    public synchronized void require(String operation, Set<SessionState> allowed) {
        if (!allowed.contains(state)) {
            String states = allowed.stream().map(SessionState::label).collect(Collectors.joining(" or "));
            throw new VmStateException(state, "VM '" + vm + "' is " + state.label() + "; " + operation + " needs it "
                    + states);
        }
    }
}
