package dev.strata.vm.control;

/** A request the control server refuses: an error class a program can test for, and one line for people. */
public final class ControlError extends Exception {
    /** The request line is not JSON. */
    public static final String INVALID_JSON = "InvalidJson";
    /** The line is JSON but not a request object ({@code execute}, {@code arguments}, {@code id}). */
    public static final String INVALID_REQUEST = "InvalidRequest";
    /** The line is longer than {@link ControlProtocol#MAX_LINE} bytes. */
    public static final String LINE_TOO_LONG = "LineTooLong";
    /** No command has that name. */
    public static final String COMMAND_NOT_FOUND = "CommandNotFound";
    /** An argument is missing, unknown, or of the wrong type or value. */
    public static final String INVALID_PARAMETER = "InvalidParameter";
    /** The VM's state does not allow the command now (e.g. resume while Running). */
    public static final String INVALID_STATE = "InvalidState";
    /** The command was carried out and failed (an I/O error, a timeout). */
    public static final String GENERIC = "GenericError";

    private final String errorClass;

    public ControlError(String errorClass, String desc) {
        super(desc);
        this.errorClass = errorClass;
    }

    /** One of the class names above. */
    public String errorClass() {
        return errorClass;
    }
}
