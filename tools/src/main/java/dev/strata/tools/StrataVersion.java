package dev.strata.tools;

import picocli.CommandLine;

/** Reports Strata's version from the jar manifest (or "dev" when run from classes). */
public final class StrataVersion implements CommandLine.IVersionProvider {
    /** The version string users see in banners and {@code --version}. */
    public static String version() {
        String v = StrataVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Strata " + version()};
    }
}
