package dev.bulwark.eventstore.internal.journal;

import java.util.concurrent.locks.LockSupport;

/**
 * A transaction handed to the writer thread, and the caller waiting for it. The writer sets the outcome, then
 * {@link #complete()} publishes it through the volatile {@code done} and wakes the caller.
 */
final class Pending<R> {
    private final JournalTransaction<R> transaction;
    private final Thread waiter = Thread.currentThread();
    /** Written by the writer before {@code done}, read by the waiter after. */
    private R result;
    private RuntimeException failure;
    private volatile boolean done;

    Pending(JournalTransaction<R> transaction) {
        this.transaction = transaction;
    }

    void run(TransactionContext context) {
        result = transaction.execute(context);
    }

    void fail(RuntimeException cause) {
        failure = cause;
    }

    boolean failed() {
        return failure != null;
    }

    void complete() {
        done = true;
        LockSupport.unpark(waiter);
    }

    /**
     * Waits for the outcome. Not interruptible: the record may be on its way to disk, and the caller must learn
     * whether it got there; an interrupt is kept for the caller to see afterwards.
     */
    R await() {
        boolean interrupted = false;
        while (!done) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
