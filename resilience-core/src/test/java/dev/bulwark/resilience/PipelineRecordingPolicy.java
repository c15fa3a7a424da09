package dev.bulwark.resilience;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** A policy that only writes down when a call enters and leaves it, to prove a pipeline's order. */
final class PipelineRecordingPolicy implements Policy, Stage {
    private final String name;
    private final List<String> log;

    PipelineRecordingPolicy(String name, List<String> log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T call(Supplier<? extends T> supplier) {
        return call(Invoker.DIRECT, supplier);
    }

    @Override
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        return Outcome.success(call(supplier));
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        return callAsync(Invoker.DIRECT, supplier);
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        log.add("enter " + name);
        try {
            return inner.call(supplier);
        } finally {
            log.add("leave " + name);
        }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        log.add("enter " + name);
        return inner.callAsync(supplier).whenComplete((value, failure) -> log.add("leave " + name));
    }
}
