package dev.bulwark.benchmarks;

import dev.bulwark.cqrs.CommandBus;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A command dispatched to the handler of its type, which returns a value, and the value handed back to the sender:
 * Bulwark's {@link CommandBus} against Axon Framework 4.13's {@code SimpleCommandBus} (its default, synchronous
 * local bus, built with its defaults: no transaction manager, no monitor). Both run the handler on the sending
 * thread; both create a message per command. Bulwark returns a completed future; Axon delivers the result to a
 * callback, here a minimal one per command (the dispatch is synchronous, so the result is there when it returns).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CommandBusBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommandBusBenchmark {

    /** The command: a record, as users write them. */
    public record Increment(int value) {}

    private CommandBus bulwark;
    private SimpleCommandBus axon;
    private final Increment command = new Increment(41);

    @Setup
    public void setUp() {
        bulwark = CommandBus.create();
        bulwark.register(Increment.class, message -> message.command().value() + 1);

        axon = SimpleCommandBus.builder().build();
        axon.subscribe(Increment.class.getName(), message -> ((Increment) message.getPayload()).value() + 1);
    }

    @Benchmark
    public Object bulwark() {
        return bulwark.send(command).toCompletableFuture().join();
    }

    @Benchmark
    public Object axon() {
        ResultCallback callback = new ResultCallback();
        axon.dispatch(GenericCommandMessage.asCommandMessage(command), callback);
        return callback.result;
    }

    /** Takes Axon's result from its callback. */
    static final class ResultCallback implements CommandCallback<Object, Object> {
        Object result;

        @Override
        public void onResult(CommandMessage<?> commandMessage, CommandResultMessage<?> resultMessage) {
            result = resultMessage.getPayload();
        }
    }
}
