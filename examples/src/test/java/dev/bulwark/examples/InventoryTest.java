package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.examples.Inventory.Reservation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryTest {
    private final Inventory inventory = new Inventory(Map.of("lamp", 3));

    @Test
    void reserving_twice_with_one_key_holds_the_stock_once() {
        Reservation first = inventory.reserve("saga-1/reserve-stock", "lamp", 2);
        Reservation again = inventory.reserve("saga-1/reserve-stock", "lamp", 2);

        assertThat(again).isEqualTo(first);
        assertThat(inventory.availableStock()).containsEntry("lamp", 1);
    }

    @Test
    void an_order_for_more_than_is_left_is_refused_and_holds_nothing() {
        inventory.reserve("saga-1/reserve-stock", "lamp", 2);

        assertThatThrownBy(() -> inventory.reserve("saga-2/reserve-stock", "lamp", 2))
                .isInstanceOf(Inventory.OutOfStockException.class)
                .hasMessage("out of stock: 2 x lamp wanted, 1 available");
        assertThat(inventory.reservations()).containsOnlyKeys("saga-1/reserve-stock");
    }

    @Test
    void releasing_gives_the_stock_back_once() {
        inventory.reserve("saga-1/reserve-stock", "lamp", 2);

        assertThat(inventory.release("saga-1/reserve-stock")).isTrue();
        assertThat(inventory.release("saga-1/reserve-stock")).isFalse();
        assertThat(inventory.availableStock()).containsEntry("lamp", 3);
    }

    @Test
    void a_reservation_that_arrives_after_its_release_is_refused() {
        assertThat(inventory.release("saga-1/reserve-stock")).isFalse();

        assertThatThrownBy(() -> inventory.reserve("saga-1/reserve-stock", "lamp", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("reservation saga-1/reserve-stock was released before it was made");
        assertThat(inventory.availableStock()).containsEntry("lamp", 3);
    }

    @Test
    void bad_arguments_are_named() {
        assertThatThrownBy(() -> new Inventory(Map.of("lamp", -1)))
                .hasMessage("stock of lamp must not be negative, was -1");
        assertThatThrownBy(() -> inventory.reserve("k", "sofa", 1)).hasMessage("unknown sku \"sofa\"");
        assertThatThrownBy(() -> inventory.reserve("k", "lamp", 0)).hasMessage("quantity must be at least 1, was 0");
    }
}
