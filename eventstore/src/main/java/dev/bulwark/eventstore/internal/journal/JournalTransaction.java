package dev.bulwark.eventstore.internal.journal;

/**
 * Work that runs on the journal's writer thread, in log order: it checks the journal's state through its
 * {@link TransactionContext} and stages changes there. If it returns, its changes become one record, applied and
 * forced before the caller of {@link Journal#execute} gets the result; if it throws, nothing it staged is kept and
 * the caller gets the exception.
 *
 * <p>It runs while every other writer waits: keep it to checks and staging, no blocking.
 *
 * @param <R> the result handed to the caller
 */
@FunctionalInterface
public interface JournalTransaction<R> {

    R execute(TransactionContext context);
}
