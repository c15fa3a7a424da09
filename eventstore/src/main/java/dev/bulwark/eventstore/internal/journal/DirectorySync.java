package dev.bulwark.eventstore.internal.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Forces a directory's entries to disk, so that a file created in it survives a power loss. POSIX systems need this
 * after creating a file; Windows cannot open a directory as a channel and does not need it.
 */
final class DirectorySync {
    private static final boolean SUPPORTED =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private DirectorySync() {
    }

    static void force(Path directory) throws IOException {
        if (!SUPPORTED) {
            return;
        }
        Uninterruptible.run(() -> {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
            return null;
        });
    }
}
