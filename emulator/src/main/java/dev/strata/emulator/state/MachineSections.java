package dev.strata.emulator.state;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.PcMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The sections of a PC's saved state, in the order they are written and restored: the clock first (it empties the
 * scheduler), then the CPU, memory and RAM, then every device that declares a section ({@link Device#state()}) in
 * the machine's device order, and the firmware last. The firmware's state and version come from the
 * {@link Firmware} interface.
 */
final class MachineSections {

    private MachineSections() {
    }

    static List<StateSection> all(ClockSection clock, PcMachine machine) {
        List<StateSection> s = new ArrayList<>();
        s.add(clock);
        // 2: model-specific and debug registers; version 1 files have neither and are refused
        s.add(section("cpu", 2, 2, (m, w) -> FieldCodec.save(m.cpu(), w), (m, r) -> {
            FieldCodec.load(m.cpu(), r);
            m.cpu().flushDecodedCode(); // decoded blocks describe the old RAM
            m.cpu().mmu.flush(); // the TLB caches the old page tables
        }));
        s.add(section("memory", 1, 1, (m, w) -> FieldCodec.save(m.memory(), w),
                (m, r) -> FieldCodec.load(m.memory(), r)));
        s.add(new RamSection());
        for (Device device : machine.devices()) {
            DeviceSection d = device.state();
            if (d != null) {
                s.add(section(d.tag(), d.version(), d.oldestVersion(), (m, w) -> d.saver().save(w),
                        (m, r) -> d.loader().load(r)));
            }
        }
        Firmware firmware = machine.firmware();
        s.add(section("firmware", firmware.stateVersion(), firmware.oldestStateVersion(),
                (m, w) -> m.firmware().saveState(w), (m, r) -> m.firmware().loadState(r)));
        return s;
    }

    interface Saver {
        void save(PcMachine m, StateWriter w);
    }

    interface Loader {
        void load(PcMachine m, StateReader r) throws StateFileException;
    }

    private static StateSection section(String tag, int version, int oldest, Saver saver, Loader loader) {
        return new StateSection() {
            @Override
            public String tag() {
                return tag;
            }

            @Override
            public int version() {
                return version;
            }

            @Override
            public int oldestVersion() {
                return oldest;
            }

            @Override
            public void save(PcMachine m, StateWriter w) {
                saver.save(m, w);
            }

            @Override
            public void load(PcMachine m, StateReader r) throws StateFileException {
                loader.load(m, r);
                r.expectEnd();
            }
        };
    }
}
