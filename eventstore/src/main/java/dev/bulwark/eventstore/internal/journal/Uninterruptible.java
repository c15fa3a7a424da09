package dev.bulwark.eventstore.internal.journal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs file work that opens its own channel so that an interrupt does not make it fail: a channel closes when its
 * thread is interrupted during an operation, so the work is run again (with the interrupt status cleared) and the
 * status is restored afterwards. Only for work that is safe to repeat from the start.
 */
final class Uninterruptible {

    private Uninterruptible() {
    }

    interface Work<T> {
        T run() throws IOException;
    }

    static <T> T run(Work<T> work) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return work.run();
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
