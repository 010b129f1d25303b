package dev.strata.tools;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on standard error and a non-zero exit, never a stack trace
 * (unless {@code STRATA_DEBUG} is set, for people debugging Strata itself).
 */
final class CliErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String msg;
        if (t instanceof StorageException) {
            msg = t.getMessage();
        } else if (t instanceof AccessDeniedException e && e.getReason() == null) {
            msg = e.getFile() + ": permission denied; check the file's permissions and owner (ls -l)";
        } else if (t instanceof NoSuchFileException e && e.getReason() == null) {
            msg = e.getFile() + ": no such file or directory; check the path";
        } else if (t instanceof IOException) {
            msg = "I/O error: " + t.getMessage();
        } else if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            msg = t.getMessage();
        } else {
            msg = "internal error: " + t;
        }
        cl.getErr().println("strata: " + msg);
        if (System.getenv("STRATA_DEBUG") != null) {
            t.printStackTrace(cl.getErr());
        }
        return StrataCommand.FAILED;
    }
}
