package dev.strata.emulator.state;

import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.PcMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The sections of a PC's saved state, in the order they are written and restored: the clock first (it empties the
 * scheduler), then the CPU, memory and devices, the PCI configuration before the IDE controller (whose bus-master
 * window follows BAR4), and the firmware last. Each device is reached through the machine's accessors and saves
 * itself by its declared schema; the firmware's state and version come from the {@link Firmware} interface.
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
        s.add(section("pic", 1, 1, (m, w) -> m.pic().saveState(w), (m, r) -> m.pic().loadState(r)));
        s.add(section("pit", 1, 1, (m, w) -> m.pit().saveState(w), (m, r) -> m.pit().loadState(r)));
        // 2: no copy of the PIT, which has its own section (version 1 files carry one, read and dropped)
        s.add(section("port61", 2, 1, (m, w) -> m.systemControl().saveState(w),
                (m, r) -> m.systemControl().loadState(r)));
        s.add(section("port92", 1, 1, (m, w) -> m.fastA20().saveState(w), (m, r) -> m.fastA20().loadState(r)));
        s.add(section("rtc", 1, 1, (m, w) -> m.rtc().saveState(w), (m, r) -> m.rtc().loadState(r)));
        s.add(section("kbc", 1, 1, (m, w) -> m.keyboardController().saveState(w),
                (m, r) -> m.keyboardController().loadState(r)));
        // 2: no copy of the keyboard, which the controller's section saves (version 1 files carry one, dropped)
        s.add(section("keys", 2, 1, (m, w) -> m.keyInput().saveState(w), (m, r) -> m.keyInput().loadState(r)));
        s.add(section("vga", 1, 1, (m, w) -> m.vga().saveState(w), (m, r) -> m.vga().loadState(r)));
        for (int i = 0; i < 4; i++) {
            int index = i;
            s.add(section("com" + (i + 1), 1, 1, (m, w) -> m.serial(index).saveState(w),
                    (m, r) -> m.serial(index).loadState(r)));
        }
        s.add(section("post", 1, 1, (m, w) -> m.postPort().saveState(w), (m, r) -> m.postPort().loadState(r)));
        s.add(section("pci", 1, 1, (m, w) -> m.pci().saveState(w), (m, r) -> m.pci().loadState(r)));
        s.add(section("ide", 1, 1, (m, w) -> m.ide().saveState(w), (m, r) -> m.ide().loadState(r)));
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
