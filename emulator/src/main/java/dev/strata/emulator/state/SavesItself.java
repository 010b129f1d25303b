package dev.strata.emulator.state;

/**
 * Marks a part that writes its own saved state (because it refers to things that are not state, such as disk
 * images): {@link FieldCodec} does not walk into it when another object refers to it; its owner saves it.
 */
public interface SavesItself {
}
