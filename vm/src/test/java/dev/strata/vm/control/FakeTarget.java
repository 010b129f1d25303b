package dev.strata.vm.control;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A VM that records what it was asked to do, for protocol tests. */
final class FakeTarget implements ControlTarget {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Consumer<VmEvent>> listeners = new CopyOnWriteArrayList<>();
    volatile String state = "Running";
    /** What {@link #screenshotPng} encodes. */
    volatile dev.strata.emulator.display.Frame picture = new dev.strata.emulator.display.Frame(2, 1,
            new int[] {0xFF0000AA, 0xFFFFFFFF});

    void emit(VmEvent e) {
        listeners.forEach(l -> l.accept(e));
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public void pause() {
        if (!state.equals("Running")) {
            throw new IllegalStateException("VM 'fake' is " + state + "; only a Running VM pauses");
        }
        calls.add("pause");
        state = "Paused";
    }

    @Override
    public void resume() {
        calls.add("resume");
        state = "Running";
    }

    @Override
    public void reset() {
        calls.add("reset");
    }

    @Override
    public void powerOff() {
        calls.add("poweroff");
    }

    @Override
    public Path saveState() {
        calls.add("savestate");
        return Path.of("/vms/fake/saved.state");
    }

    @Override
    public String snapshotLive(String name, String description) throws java.io.IOException {
        if (name.equals("broken")) {
            throw new java.io.IOException("disk full writing the snapshot");
        }
        calls.add("snapshot-live " + name + " " + description);
        return "00000000-0000-0000-0000-000000000001";
    }

    @Override
    public void type(String text) {
        calls.add("type " + text);
    }

    @Override
    public List<String> screen() {
        return List.of("C:\\>dir", "");
    }

    @Override
    public byte[] screenshotPng() {
        return dev.strata.emulator.display.FramePng.encode(picture);
    }

    public List<String> info(String topic, List<String> args) {
        if (!topic.equals("cpu") && !topic.equals("mem")) {
            throw new IllegalArgumentException("unknown info topic '" + topic + "'");
        }
        return List.of("info " + topic + " " + String.join(" ", args));
    }

    @Override
    public void addEventListener(Consumer<VmEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeEventListener(Consumer<VmEvent> listener) {
        listeners.remove(listener);
    }
}
