package dev.lockstep.cli;

import ch.qos.logback.core.ConsoleAppender;

/**
 * Logback's console appender (configured in {@code logback.xml}) writing each log line through
 * {@link ProgressLine#aboveProgress}, so a log line never lands in the middle of a progress line drawn in
 * place on the terminal. Without a progress line it is a plain {@link ConsoleAppender}.
 */
public final class ProgressAwareConsoleAppender<E> extends ConsoleAppender<E> {

    @Override
    protected void subAppend(E event) {
        ProgressLine.aboveProgress(() -> super.subAppend(event));
    }
}
