package dev.bulwark.cqrs;

import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The {@link QueryBus}. Handlers are kept per query class in copy-on-write lists (registration is rare, queries
 * are many); subscription queries in a concurrent set that {@link #emit} walks.
 *
 * <p>Scatter-gather: each handler's answer lands in its slot of an array; the result is built once, by whichever
 * comes first of the last answer and the timeout (a compare-and-set on the result future decides), from the slots
 * filled by then.
 */
final class DefaultQueryBus implements QueryBus {

    private record Entry(Class<?> queryType, Class<?> responseType, QueryHandler<Object, Object> handler) {}

    private final Executor executor;
    private final boolean callerThread;
    private final Clock clock;
    private final Scheduler scheduler;
    private final int bufferSize;
    private final ConcurrentHashMap<Class<?>, CopyOnWriteArrayList<Entry>> handlers = new ConcurrentHashMap<>();
    private final Set<QuerySubscription<?, ?>> subscriptions = ConcurrentHashMap.newKeySet();

    DefaultQueryBus(QueryBusConfig config) {
        Objects.requireNonNull(config, "config");
        this.executor = config.executor();
        this.callerThread = executor == CommandBusConfig.CALLER_THREAD;
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.bufferSize = config.subscriptionBufferSize();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <Q, R> Registration register(Class<Q> queryType, Class<R> responseType,
            QueryHandler<? super Q, ? extends R> handler) {
        Objects.requireNonNull(queryType, "queryType");
        Objects.requireNonNull(responseType, "responseType");
        Objects.requireNonNull(handler, "handler");
        if (responseType.isPrimitive()) {
            throw new IllegalArgumentException("responseType must not be primitive, was " + responseType
                    + " (use its wrapper class)");
        }
        Entry entry = new Entry(queryType, responseType, (QueryHandler<Object, Object>) handler);
        CopyOnWriteArrayList<Entry> list = handlers.computeIfAbsent(queryType, type -> new CopyOnWriteArrayList<>());
        list.add(entry);
        return () -> list.remove(entry);
    }

    @Override
    public <R> CompletionStage<R> query(Object query, Class<R> responseType) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(responseType, "responseType");
        List<Entry> matching = matching(query, responseType, true);
        if (matching.isEmpty()) {
            return CompletableFuture.failedFuture(noHandler(query, responseType));
        }
        return ask(matching.get(0), query, responseType);
    }

    @Override
    public <R> CompletionStage<R> query(Object query, Class<R> responseType, Consistency consistency) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(responseType, "responseType");
        Objects.requireNonNull(consistency, "consistency");
        return consistency.projection().awaitPosition(consistency.position(), consistency.timeout())
                .thenCompose(reached -> query(query, responseType));
    }

    @Override
    public <R> CompletionStage<List<R>> scatterGather(Object query, Class<R> responseType, Duration timeout) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(responseType, "responseType");
        Futures.requireTimeout(timeout);
        List<Entry> matching = matching(query, responseType, false);
        if (matching.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Gather<R> gather = new Gather<>(matching.size(), clock.nanoTime() + timeout.toNanos());
        Scheduler.Task timer = scheduler.schedule(gather::finish, timeout.toNanos());
        gather.result.whenComplete((answers, failure) -> timer.cancel());
        for (int i = 0; i < matching.size() && !gather.result.isDone(); i++) {
            int slot = i;
            ask(matching.get(i), query, responseType).whenComplete((answer, failure) -> gather.answered(slot, answer));
        }
        return gather.result;
    }

    @Override
    public <I, U> SubscriptionQuery<I> subscriptionQuery(Object query, Class<I> initialType, Class<U> updateType,
            Consumer<? super U> updates) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(initialType, "initialType");
        Objects.requireNonNull(updateType, "updateType");
        Objects.requireNonNull(updates, "updates");
        QuerySubscription<?, ?>[] self = new QuerySubscription<?, ?>[1];
        QuerySubscription<I, U> subscription = new QuerySubscription<>(query, updateType, updates, bufferSize,
                () -> subscriptions.remove(self[0]));
        self[0] = subscription;
        subscriptions.add(subscription);
        query(query, initialType).whenComplete(subscription::initialResult);
        return subscription;
    }

    @Override
    public <Q> int emit(Class<Q> queryType, Predicate<? super Q> filter, Object update) {
        Objects.requireNonNull(queryType, "queryType");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(update, "update");
        int delivered = 0;
        for (QuerySubscription<?, ?> subscription : subscriptions) {
            if (subscription.wants(queryType, filter, update) && subscription.offer(update)) {
                delivered++;
            }
        }
        return delivered;
    }

    private List<Entry> matching(Object query, Class<?> responseType, boolean firstOnly) {
        CopyOnWriteArrayList<Entry> registered = handlers.get(query.getClass());
        if (registered == null) {
            return List.of();
        }
        List<Entry> matching = new ArrayList<>(firstOnly ? 1 : registered.size());
        for (Entry entry : registered) {
            if (responseType.isAssignableFrom(entry.responseType())) {
                matching.add(entry);
                if (firstOnly) {
                    break;
                }
            }
        }
        return matching;
    }

    private <R> CompletableFuture<R> ask(Entry entry, Object query, Class<R> responseType) {
        if (callerThread) {
            try {
                return CompletableFuture.completedFuture(answer(entry, query, responseType));
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(answer(entry, query, responseType));
                } catch (Throwable failure) {
                    result.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static <R> R answer(Entry entry, Object query, Class<R> responseType) throws Exception {
        Object answer = entry.handler().handle(query);
        if (answer != null && !responseType.isInstance(answer)) {
            throw new IllegalStateException("the handler of " + entry.queryType().getName() + " registered for "
                    + entry.responseType().getName() + " returned a " + answer.getClass().getName());
        }
        return responseType.cast(answer);
    }

    private static NoHandlerException noHandler(Object query, Class<?> responseType) {
        return new NoHandlerException("no handler for query type " + query.getClass().getName()
                + " with response type " + responseType.getName());
    }

    /** The answers of one scatter-gather. */
    private final class Gather<R> {
        final CompletableFuture<List<R>> result = new CompletableFuture<>();
        final AtomicReferenceArray<Object> answers;
        final AtomicInteger pending;
        final long deadline;

        Gather(int handlers, long deadline) {
            this.answers = new AtomicReferenceArray<>(handlers);
            this.pending = new AtomicInteger(handlers);
            this.deadline = deadline;
        }

        void answered(int slot, Object answer) {
            boolean late = clock.nanoTime() - deadline > 0;
            if (late) {
                finish();
                return;
            }
            if (answer != null) {
                answers.set(slot, answer);
            }
            if (pending.decrementAndGet() == 0) {
                finish();
            }
        }

        @SuppressWarnings("unchecked")
        void finish() {
            if (result.isDone()) {
                return;
            }
            List<R> collected = new ArrayList<>();
            for (int i = 0; i < answers.length(); i++) {
                Object answer = answers.get(i);
                if (answer != null) {
                    collected.add((R) answer);
                }
            }
            result.complete(List.copyOf(collected));
        }
    }
}
