package dev.strata.tools.display;

/** What the host key combinations ask of the machine, apart from keys sent to the guest. */
public interface HostCommands {

    /** Host+P: pauses a running machine, resumes a paused one. */
    void togglePause();

    /** Host+R: resets the machine, as its reset button would. */
    void reset();

    /** Host+Q: powers the machine off, as closing the window does. */
    void powerOff();

    /** The host key alone: the window gives a captured mouse pointer back to the host. */
    void releaseMouse();
}
