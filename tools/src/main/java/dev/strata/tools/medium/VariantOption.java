package dev.strata.tools.medium;

import dev.strata.storage.image.ImageVariant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * The variants a user may ask for when creating or cloning (a differencing image comes from --diff instead), written
 * as VBoxManage takes them: Standard, Fixed, Split2G, Stream, or flags joined by commas (Fixed,Split2G).
 */
record VariantOption(ImageVariant variant) {

    /** The variant a user gets by default. */
    static final VariantOption STANDARD = new VariantOption(ImageVariant.STANDARD);

    /** "Standard", "Fixed", "Split2G", "Fixed,Split2G", "Stream" or "Diff", as VirtualBox users read them. */
    static String show(ImageVariant v) {
        return v.displayName();
    }

    @Override
    public String toString() {
        return variant.displayName();
    }

    /** Reads --variant: flag names in any case and order, joined by commas. */
    static final class Converter implements CommandLine.ITypeConverter<VariantOption> {
        @Override
        public VariantOption convert(String value) {
            Set<String> flags = new TreeSet<>();
            for (String f : value.split(",")) {
                String t = f.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !t.equals("standard")) {
                    flags.add(t);
                }
            }
            ImageVariant v = switch (String.join(",", flags)) {
                case "" -> ImageVariant.STANDARD;
                case "fixed" -> ImageVariant.FIXED;
                case "split2g" -> ImageVariant.SPLIT_2G;
                case "fixed,split2g" -> ImageVariant.SPLIT_2G_FIXED;
                case "stream" -> ImageVariant.STREAM;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a variant Strata "
                        + "makes; use Standard, Fixed, Split2G, Fixed,Split2G or Stream (Split2G and Stream are VMDK "
                        + "only)");
            };
            return new VariantOption(v);
        }
    }
}
