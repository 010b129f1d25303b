/**
 * The monitor: readable views of a machine's parts for people looking inside ({@code strata vm control NAME info
 * ...}, gdb's {@code monitor info ...}). {@link dev.strata.emulator.monitor.MachineInfo} answers each topic;
 * {@link dev.strata.emulator.monitor.StateView} shows a device's state under its saved-state keys; the AHCI
 * controller's registers get their own listing, with their bits named.
 */
package dev.strata.emulator.monitor;
