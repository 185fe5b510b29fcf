package dev.lockstep.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time opens a data directory: an OS file lock on {@code <data.dir>/lockstep.lock},
 * taken before any embedded server starts and held until the process closes its infrastructure or
 * dies (the OS drops the lock with the process, so a crash never leaves the directory locked). The
 * holder writes its pid into the file so a refused process can name it.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "lockstep.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another start in this one) holds the directory. */
    public static final class HeldException extends IllegalStateException {
        private final Path dataDir;
        private final String holderPid;

        HeldException(Path dataDir, String holderPid) {
            super("data directory " + dataDir + " is in use by another Lockstep process (pid "
                    + holderPid + "); stop it, or start this one with another --data-dir");
            this.dataDir = dataDir;
            this.holderPid = holderPid;
        }

        public Path dataDir() {
            return dataDir;
        }

        /** The pid written by the holder, or "unknown". */
        public String holderPid() {
            return holderPid;
        }
    }

    /**
     * Locks the directory (created if missing).
     *
     * @throws HeldException when another process holds it
     */
    public static DataDirLock acquire(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                String holder = readPid(channel);
                channel.close();
                throw new HeldException(dir, holder.isEmpty() ? "unknown" : holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new DataDirLock(file, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the open failure is what matters
                }
            }
            throw new UncheckedIOException("cannot lock data directory " + dir, e);
        }
    }

    private static String readPid(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    public Path file() {
        return file;
    }

    /** Releases the lock; the file stays (its pid is stale until the next holder rewrites it). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file, e);
        }
    }
}
