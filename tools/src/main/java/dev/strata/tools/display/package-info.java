/**
 * The window of {@code --gui}: a GLFW window with an OpenGL texture showing the VGA's frame, and the host's keys
 * sent to the guest's keyboard. Only the window behind {@link dev.strata.tools.display.MachineWindow#open} calls
 * LWJGL, so a run without {@code --gui} never loads it.
 */
package dev.strata.tools.display;
