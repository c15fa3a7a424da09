package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ListenerListTest {

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        ListenerList<String> listeners = new ListenerList<>("test policy 'x'");
        List<String> seen = new ArrayList<>();
        listeners.add(event -> {
            throw new IllegalStateException("listener bug");
        });
        listeners.add(seen::add);

        listeners.publish("e1");

        assertThat(seen).containsExactly("e1");
    }

    @Test
    void removedListenersHearNothingMore() {
        ListenerList<String> listeners = new ListenerList<>("test policy 'x'");
        List<String> seen = new ArrayList<>();
        Consumer<String> listener = seen::add;
        listeners.add(listener);
        listeners.publish("e1");

        assertThat(listeners.remove(listener)).isTrue();
        assertThat(listeners.remove(listener)).isFalse();
        listeners.publish("e2");

        assertThat(seen).containsExactly("e1");
        assertThat(listeners.isEmpty()).isTrue();
    }
}
