package dev.strata.vm.control;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a control server drives: a running VM. A method refuses what the VM's state does not allow by throwing
 * {@link IllegalStateException} and a bad argument by throwing {@link IllegalArgumentException}, each with one line
 * for the client; any other exception is a failure of the operation.
 */
public interface ControlTarget {
    /** The VM's state as its label (Running, Paused, ...). */
    String state();

    void pause() throws Exception;

    void resume() throws Exception;

    /** Resets the machine as its reset button would. */
    void reset() throws Exception;

    /** Powers the machine off (the guest is not asked) and ends the run. */
    void powerOff() throws Exception;

    /** Saves the whole machine and ends the run; returns once the state file is written. */
    Path saveState() throws Exception;

    /** Takes online snapshot {@code name} (with {@code description}, or null) while the guest runs; its UUID. */
    String snapshotLive(String name, String description) throws Exception;

    /** Types {@code text} on the keyboard (characters as they are: no escapes). */
    void type(String text) throws Exception;

    /** The text screen, one string per row. */
    List<String> screen() throws Exception;

    /** A PNG picture of the screen, whatever the mode. */
    byte[] screenshotPng() throws Exception;

    /**
     * The monitor's {@code info}: the readable state of one part of the machine ({@code cpu}, {@code mem ADDRESS
     * LENGTH}, {@code pic}, ...), one string per line.
     */
    List<String> info(String topic, List<String> args) throws Exception;

    /** Starts telling {@code listener} about events, on whatever thread they happen; it must not block. */
    void addEventListener(Consumer<VmEvent> listener);

    void removeEventListener(Consumer<VmEvent> listener);
}
