package dev.strata.emulator.state;

/**
 * A state class that cannot be saved as declared (an undeclared field, a value of a type the codec cannot write):
 * a mistake in Strata's code, reported with the class and field to fix, never a silently incomplete file.
 */
public final class StateSchemaException extends IllegalStateException {

    public StateSchemaException(String message) {
        super(message);
    }
}
