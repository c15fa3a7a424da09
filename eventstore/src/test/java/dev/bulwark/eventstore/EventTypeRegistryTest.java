package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.Cart;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import org.junit.jupiter.api.Test;

class EventTypeRegistryTest {

    @Test
    void aRegisteredClassHasItsTypeNameAndSchemaVersion() {
        EventTypeRegistry registry = EventTypeRegistry.builder().register("item-added", 3, ItemAdded.class).build();

        assertThat(registry.typeName(ItemAdded.class)).isEqualTo("item-added");
        assertThat(registry.schemaVersion("item-added")).isEqualTo(3);
        assertThat(registry.typeNames()).containsExactly("item-added");
    }

    @Test
    void typeNamesMustBePlain() {
        assertThatThrownBy(() -> EventTypeRegistry.builder().register("item added", ItemAdded.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("typeName must be letters, digits and . _ : - (at most 100, starting with a letter or "
                        + "digit), was \"item added\"");
    }

    @Test
    void aNameOrAClassCanBeRegisteredOnce() {
        EventTypeRegistry.Builder builder = EventTypeRegistry.builder().register("item-added", ItemAdded.class);

        assertThatThrownBy(() -> builder.register("item-added", ItemRemoved.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("typeName 'item-added' is already registered for " + ItemAdded.class.getName());
        assertThatThrownBy(() -> builder.register("other", ItemAdded.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class " + ItemAdded.class.getName() + " is already registered as 'item-added'");
    }

    @Test
    void schemaVersionsStartAtOne() {
        assertThatThrownBy(() -> EventTypeRegistry.builder().register("cart", 0, Cart.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schemaVersion must be >= 1, was 0 (type 'cart')");
    }

    @Test
    void upcastersMustFitARegisteredTypeAndItsVersions() {
        assertThatThrownBy(() -> EventTypeRegistry.builder().upcaster("ghost", 1, data -> data).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an upcaster is registered for 'ghost', but no type of that name is");
        assertThatThrownBy(() -> EventTypeRegistry.builder().register("cart", 2, Cart.class)
                .upcaster("cart", 2, data -> data).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fromVersion of an upcaster for 'cart' must be between 1 and 1 (its schema version minus "
                        + "one), was 2");
        assertThatThrownBy(() -> EventTypeRegistry.builder().register("cart", 2, Cart.class)
                .upcaster("cart", 1, data -> data).upcaster("cart", 1, data -> data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an upcaster from version 1 of 'cart' is already registered");
    }

    @Test
    void anUnregisteredClassHasNoName() {
        EventTypeRegistry registry = EventTypeRegistry.builder().build();

        assertThatThrownBy(() -> registry.typeName(Cart.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("class " + Cart.class.getName() + " is not registered");
        assertThatThrownBy(() -> registry.schemaVersion("cart"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("typeName 'cart' is not registered");
    }
}
