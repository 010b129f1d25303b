package dev.strata.emulator.state;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.device.pit.SystemControlPort;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sections of a PC's saved state, in the order they are written and restored: the clock first (it empties the
 * scheduler), then the CPU, memory and devices, the PCI configuration before the IDE controller (whose bus-master
 * window follows BAR4), and the firmware last.
 */
final class MachineSections {

    private MachineSections() {
    }

    static List<StateSection> all(ClockSection clock) {
        List<StateSection> s = new ArrayList<>();
        s.add(clock);
        s.add(new StateSection() {
            @Override
            public String tag() {
                return "cpu";
            }

            @Override
            public int version() {
                return 2; // 2: model-specific and debug registers
            }

            @Override
            public void save(PcMachine m, StateWriter w) {
                FieldCodec.save(m.cpu(), w, CPU_EXCLUDED);
            }

            @Override
            public void load(PcMachine m, StateReader r) throws StateFileException {
                FieldCodec.load(m.cpu(), r, CPU_EXCLUDED);
                r.expectEnd();
                m.cpu().flushDecodedCode(); // decoded blocks describe the old RAM
                m.cpu().mmu.flush(); // the TLB caches the old page tables
            }
        });
        s.add(custom("memory", (m, w) -> FieldCodec.save(m.memory(), w, MEMORY_EXCLUDED),
                (m, r) -> FieldCodec.load(m.memory(), r, MEMORY_EXCLUDED)));
        s.add(new RamSection());
        s.add(custom("pic", (m, w) -> m.pic().saveState(w), (m, r) -> m.pic().loadState(r)));
        s.add(custom("pit", (m, w) -> m.pit().saveState(w), (m, r) -> m.pit().loadState(r)));
        s.add(custom("port61", (m, w) -> systemControl(m).saveState(w), (m, r) -> systemControl(m).loadState(r)));
        s.add(custom("port92", (m, w) -> FieldCodec.save(fastA20(m), w), (m, r) -> FieldCodec.load(fastA20(m), r)));
        s.add(custom("rtc", (m, w) -> m.rtc().saveState(w), (m, r) -> m.rtc().loadState(r)));
        s.add(custom("kbc", (m, w) -> m.keyboardController().saveState(w),
                (m, r) -> m.keyboardController().loadState(r)));
        s.add(custom("keys", (m, w) -> m.keyInput().saveState(w), (m, r) -> m.keyInput().loadState(r)));
        s.add(custom("vga", (m, w) -> m.vga().saveState(w), (m, r) -> m.vga().loadState(r)));
        for (int i = 0; i < 4; i++) {
            int index = i;
            s.add(custom("com" + (i + 1), (m, w) -> m.serial(index).saveState(w),
                    (m, r) -> m.serial(index).loadState(r)));
        }
        s.add(custom("post", (m, w) -> m.postPort().saveState(w), (m, r) -> m.postPort().loadState(r)));
        s.add(custom("pci", (m, w) -> m.pci().saveState(w), (m, r) -> m.pci().loadState(r)));
        s.add(custom("ide", (m, w) -> m.ide().saveState(w), (m, r) -> m.ide().loadState(r)));
        s.add(custom("firmware", (m, w) -> m.firmware().saveState(w), (m, r) -> m.firmware().loadState(r)));
        return s;
    }

    /** The TLB is a cache, rebuilt from the restored page tables; a tracer belongs to the run, not the machine. */
    private static final Set<String> CPU_EXCLUDED = Set.of("mmu", "tracer", "tracerFrom", "interruptTracer");

    /** RAM has its own section; the code-page bitmap only steers the decoded-block cache, which is flushed. */
    private static final Set<String> MEMORY_EXCLUDED = Set.of("ram", "codePages");

    interface Saver {
        void save(PcMachine m, StateWriter w);
    }

    interface Loader {
        void load(PcMachine m, StateReader r) throws StateFileException;
    }

    private static StateSection custom(String tag, Saver saver, Loader loader) {
        return new StateSection() {
            @Override
            public String tag() {
                return tag;
            }

            @Override
            public int version() {
                return 1;
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

    /** Port 61h's device: the machine builds it inline, so it is found where it is registered on the port bus. */
    static SystemControlPort systemControl(PcMachine m) {
        Object adapter = handler(m.io(), SystemControlPort.PORT);
        Object device = field(adapter, "device");
        if (!(device instanceof SystemControlPort port)) {
            throw new IllegalStateException("port 61h is not the system control port on this machine: " + device);
        }
        return port;
    }

    /** Port 92h's fast A20 and reset latch, private to the machine. */
    static Object fastA20(PcMachine m) {
        return field(m, "portA");
    }

    private static Object handler(IoBus io, int port) {
        IoPortHandler[] handlers = (IoPortHandler[]) field(io, "handlers");
        return handlers[port];
    }

    private static Object field(Object owner, String name) {
        try {
            Field f = owner.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(owner.getClass().getName() + " has no field '" + name
                    + "' any more: update MachineSections", e);
        }
    }
}
