package dev.bulwark.cqrs;

import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The {@link CommandBus}. The path of a command without id and without interceptors, on the caller's thread, is: a
 * cached handler lookup (one hash-map read), the handler call, a completed future. No lock, no thread hop.
 *
 * <p>Handler interceptors are linked per call by {@link Link} objects, one per interceptor, so an interceptor that
 * proceeds twice (a retrying one) runs the rest of the chain twice, correctly.
 */
final class DefaultCommandBus implements CommandBus {

    private final CommandDispatchInterceptor[] dispatchInterceptors;
    private final CommandHandlerInterceptor[] handlerInterceptors;
    private final Executor executor;
    private final boolean callerThread;
    private final Scheduler scheduler;
    private final CommandHandlers handlers = new CommandHandlers();
    private final CommandDeduplicator deduplicator;

    DefaultCommandBus(CommandBusConfig config) {
        Objects.requireNonNull(config, "config");
        this.dispatchInterceptors = config.dispatchInterceptors().toArray(new CommandDispatchInterceptor[0]);
        this.handlerInterceptors = config.handlerInterceptors().toArray(new CommandHandlerInterceptor[0]);
        this.executor = config.executor();
        this.callerThread = executor == CommandBusConfig.CALLER_THREAD;
        this.scheduler = config.scheduler();
        this.deduplicator = new CommandDeduplicator(config.deduplicationWindow().toNanos(),
                config.deduplicationCapacity(), config.clock());
    }

    @Override
    public <C> Registration register(Class<C> commandType, CommandHandler<C, ?> handler) {
        Objects.requireNonNull(commandType, "commandType");
        Objects.requireNonNull(handler, "handler");
        return handlers.register(commandType, handler);
    }

    @Override
    public <R> CompletionStage<R> send(Object command) {
        Objects.requireNonNull(command, "command");
        if (command instanceof CommandMessage<?> message) {
            return send(message);
        }
        return dispatch(CommandMessage.of(command));
    }

    @Override
    public <R> CompletionStage<R> send(CommandMessage<?> message) {
        Objects.requireNonNull(message, "message");
        return dispatch(message);
    }

    @Override
    public <R> R sendAndWait(Object command, Duration timeout) {
        Objects.requireNonNull(command, "command");
        return sendAndWait(command instanceof CommandMessage<?> message ? message : CommandMessage.of(command), timeout);
    }

    @Override
    public <R> R sendAndWait(CommandMessage<?> message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        Futures.requireTimeout(timeout);
        CompletableFuture<R> result = dispatch(message);
        if (result.isDone()) {
            return Futures.await(result, message.command());
        }
        return Futures.await(Futures.withTimeout(result, timeout, scheduler, () -> new WaitTimeoutException(
                "command " + describe(message) + " did not complete within " + timeout)), message.command());
    }

    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<R> dispatch(CommandMessage<?> sent) {
        CommandMessage<?> message = sent;
        Object found;
        try {
            for (CommandDispatchInterceptor interceptor : dispatchInterceptors) {
                message = Objects.requireNonNull(interceptor.onDispatch(message),
                        () -> "dispatch interceptor " + interceptor + " returned null");
            }
            found = handlers.lookup(message.command().getClass());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!(found instanceof CommandHandlers.Entry entry)) {
            return CompletableFuture.failedFuture((RuntimeException) found);
        }
        if (message.commandId() != null) {
            return (CompletableFuture<R>) deduplicated(entry.handler(), (CommandMessage<Object>) message);
        }
        if (callerThread) {
            try {
                return CompletableFuture.completedFuture((R) handle(entry.handler(), (CommandMessage<Object>) message));
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        CommandMessage<Object> accepted = (CommandMessage<Object>) message;
        execute(result, () -> {
            try {
                result.complete(handle(entry.handler(), accepted));
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        return (CompletableFuture<R>) result;
    }

    private CompletableFuture<Object> deduplicated(CommandHandler<Object, Object> handler,
            CommandMessage<Object> message) {
        String commandId = message.commandId();
        CommandDeduplicator.Claim claim;
        try {
            claim = deduplicator.claim(commandId, message.command());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CommandDeduplicator.Entry entry = claim.entry();
        if (claim.owner()) {
            execute(entry.result, () -> {
                Object value;
                try {
                    value = handle(handler, message);
                } catch (Throwable failure) {
                    deduplicator.failed(commandId, entry, failure);
                    return;
                }
                deduplicator.succeeded(entry, value);
            });
        }
        return entry.result.copy();
    }

    private void execute(CompletableFuture<Object> result, Runnable task) {
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private Object handle(CommandHandler<Object, Object> handler, CommandMessage<Object> message) throws Exception {
        if (handlerInterceptors.length == 0) {
            return handler.handle(message);
        }
        return new Link(0, handler, message).proceed();
    }

    /** The part of the handler chain from one interceptor on. */
    private final class Link implements CommandHandlerInterceptor.Chain {
        private final int index;
        private final CommandHandler<Object, Object> handler;
        private final CommandMessage<Object> message;

        Link(int index, CommandHandler<Object, Object> handler, CommandMessage<Object> message) {
            this.index = index;
            this.handler = handler;
            this.message = message;
        }

        @Override
        public Object proceed() throws Exception {
            if (index == handlerInterceptors.length) {
                return handler.handle(message);
            }
            return handlerInterceptors[index].intercept(message, new Link(index + 1, handler, message));
        }
    }

    int rememberedCommandIds() {
        return deduplicator.size();
    }

    private static String describe(CommandMessage<?> message) {
        String type = message.command().getClass().getName();
        return message.commandId() == null ? type : type + " (id " + message.commandId() + ")";
    }

    @Override
    public String toString() {
        return "CommandBus[executor=" + executor + ", dispatchInterceptors=" + dispatchInterceptors.length
                + ", handlerInterceptors=" + handlerInterceptors.length + "]";
    }
}
