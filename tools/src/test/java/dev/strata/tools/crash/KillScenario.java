package dev.strata.tools.crash;

import java.util.concurrent.Callable;

/**
 * One operation under a kill campaign, seen from the test: it sets the scene, starts the operation in a child JVM,
 * and checks what a SIGKILL at any point of it left, including that a rerun completes it or that it rolled back.
 */
interface KillScenario {
    /** The operation's name in reports, such as "medium clone". */
    String operation();

    /** Sets the scene for run {@code round} of the operation (0 is the uninterrupted run that measures it). */
    void prepare(int round) throws Exception;

    /**
     * Has {@code child} start the operation; returns once the operation has begun, with what waits for it to complete
     * by itself (failing when it does not succeed).
     */
    Callable<?> begin(StandbyChild child) throws Exception;

    /**
     * Checks what the run left (killed at any point, or not at all): images check clean, VMs open in the states a
     * crash may leave, data flushed before is intact; then reruns the operation where the run did not complete it,
     * and checks the result. {@code where} names the run in failure messages.
     */
    void verify(String where) throws Exception;
}
