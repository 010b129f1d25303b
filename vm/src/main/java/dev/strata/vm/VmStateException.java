package dev.strata.vm;

/** A VM was asked for something its state does not allow; the message names the state and the request. */
public final class VmStateException extends IllegalStateException {
    private final SessionState state;

    public VmStateException(SessionState state, String message) {
        super(message);
        this.state = state;
    }

    /** The state the VM was in. */
    public SessionState state() {
        return state;
    }
}
