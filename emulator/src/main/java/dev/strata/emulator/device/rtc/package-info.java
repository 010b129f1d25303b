/**
 * The MC146818 real-time clock and CMOS RAM at ports 70h/71h ({@link dev.strata.emulator.device.rtc.Mc146818Rtc}),
 * its time taken from a start time plus virtual time, and {@link dev.strata.emulator.device.rtc.CmosSetup}, which
 * fills the CMOS bytes a BIOS reads (memory sizes, drives, equipment, century) and their checksum.
 */
package dev.strata.emulator.device.rtc;
