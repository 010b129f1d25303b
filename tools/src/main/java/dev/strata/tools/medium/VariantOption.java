package dev.strata.tools.medium;

import dev.strata.storage.image.ImageVariant;

/** The variants a user may ask for when creating or cloning (a differencing image comes from --diff instead). */
enum VariantOption {
    Standard(ImageVariant.STANDARD), Fixed(ImageVariant.FIXED);

    final ImageVariant variant;

    VariantOption(ImageVariant variant) {
        this.variant = variant;
    }

    /** "Standard", "Fixed" or "Diff", as VirtualBox users read them. */
    static String show(ImageVariant v) {
        return switch (v) {
            case STANDARD -> "Standard";
            case FIXED -> "Fixed";
            case DIFF -> "Diff";
        };
    }
}
