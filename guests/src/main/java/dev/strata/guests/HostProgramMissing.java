package dev.strata.guests;

import java.io.IOException;

/** Thrown when a host program that builds a test medium (nasm, xorriso) cannot be started; tests skip or fail in CI. */
public class HostProgramMissing extends IOException {

    public HostProgramMissing(String message, Throwable cause) {
        super(message, cause);
    }
}
