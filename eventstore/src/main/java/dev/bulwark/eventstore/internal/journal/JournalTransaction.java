package dev.bulwark.eventstore.internal.journal;

/**
 * Work that runs in log order, on the caller's thread under the journal's sequence lock: it checks the journal's
 * state through its {@link TransactionContext} and stages changes there. If it returns, its changes become one
 * record, applied and forced before {@link Journal#execute} returns the result; if it throws, nothing it staged is
 * kept and {@code execute} throws it.
 *
 * <p>It runs while every other writer waits: keep it to checks and staging, no blocking.
 *
 * @param <R> the result handed to the caller
 */
@FunctionalInterface
public interface JournalTransaction<R> {

    R execute(TransactionContext context);
}
