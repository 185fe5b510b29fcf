package dev.lockstep.cli;

import dev.lockstep.pipeline.Mode;
import picocli.CommandLine;

/** {@code --mode unsafe|naive-lock|lockstep}: a bad value is a flag error naming {@code --mode}, caught before anything starts. */
final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
        try {
            return Mode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected unsafe, naive-lock or lockstep, not '" + value + "'");
        }
    }
}
