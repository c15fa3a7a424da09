package dev.bulwark.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The nodes of one test on a harness of the chosen store, closed together afterwards: the orchestrators first,
 * then what the store needed (a connection pool). Register it with {@code @RegisterExtension}.
 */
final class TestNodes implements AfterEachCallback {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<SagaOrchestrator> nodes = new ArrayList<>();
    private Harness harness = new Harness();

    /** A fresh harness on {@code store}; nodes started from now on use it. */
    Harness on(StoreKind store) {
        harness = new Harness(store.open(resources));
        return harness;
    }

    /** The current harness (in memory until {@link #on} is called). */
    Harness harness() {
        return harness;
    }

    SagaOrchestrator node(String id, Executor executor, SagaDefinition<?>... definitions) {
        SagaOrchestrator node = harness.node(id, executor, definitions);
        nodes.add(node);
        return node;
    }

    SagaOrchestrator first() {
        return nodes.get(0);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        nodes.forEach(SagaOrchestrator::close);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }
}
