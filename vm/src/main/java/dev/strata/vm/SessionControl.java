package dev.strata.vm;

import dev.strata.vm.control.ControlTarget;
import dev.strata.vm.control.VmEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** A {@link VmSession} as its control socket drives it. */
final class SessionControl implements ControlTarget {
    private final VmSession session;

    SessionControl(VmSession session) {
        this.session = session;
    }

    @Override
    public String state() {
        return session.state().label();
    }

    @Override
    public void pause() throws Exception {
        session.pause();
    }

    @Override
    public void resume() throws Exception {
        session.resume();
    }

    @Override
    public void reset() {
        session.reset();
    }

    @Override
    public void powerOff() {
        session.powerOff();
    }

    @Override
    public Path saveState() throws Exception {
        return session.saveState();
    }

    @Override
    public String snapshotLive(String name, String description) throws Exception {
        return session.snapshotLive(name, description).uuid.toString();
    }

    @Override
    public void type(String text) {
        session.type(text);
    }

    @Override
    public List<String> screen() throws Exception {
        return session.screen();
    }

    @Override
    public byte[] screenshotPng() throws Exception {
        return session.screenshotPng();
    }

    public List<String> info(String topic, List<String> args) throws Exception {
        return session.info(topic, args);
    }

    @Override
    public void addEventListener(Consumer<VmEvent> listener) {
        session.addListener(listener);
    }

    @Override
    public void removeEventListener(Consumer<VmEvent> listener) {
        session.removeListener(listener);
    }
}
