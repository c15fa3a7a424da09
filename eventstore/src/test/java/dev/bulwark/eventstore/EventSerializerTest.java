package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serializer maps records through the registry, upcasts, and never instantiates a class named in data. */
class EventSerializerTest {

    /** An event with a free-form field, the classic target of polymorphic-typing attacks. */
    public record Note(Object body) {}

    /** An event whose field asks Jackson for class-name polymorphism. */
    public record Armed(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload) {}

    private final EventSerializer serializer = EventSerializer.create(EventTypeRegistry.builder()
            .register("item-added", 2, ItemAdded.class)
            .register("note", Note.class)
            .register("armed", Armed.class)
            .upcaster("item-added", 1, data -> data.put("quantity", 1))
            .build());

    @BeforeEach
    void resetProbe() {
        GadgetProbe.LOADED.set(false);
    }

    private static SerializedEvent stored(String type, int version, String json) {
        return new SerializedEvent(type, version, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordRoundTripsUnderItsTypeNameAndSchemaVersion() {
        SerializedEvent stored = serializer.serialize(new ItemAdded("apple", 2));

        assertThat(stored.type()).isEqualTo("item-added");
        assertThat(stored.schemaVersion()).isEqualTo(2);
        assertThat(stored.json()).isEqualTo("{\"sku\":\"apple\",\"quantity\":2}");
        assertThat(serializer.deserialize(stored)).isEqualTo(new ItemAdded("apple", 2));
    }

    @Test
    void anOlderSchemaVersionIsUpcast() {
        assertThat(serializer.deserialize(stored("item-added", 1, "{\"sku\":\"apple\"}")))
                .isEqualTo(new ItemAdded("apple", 1));
    }

    @Test
    void aMissingPropertyFailsInsteadOfBuildingHalfAnObject() {
        assertThatThrownBy(() -> serializer.deserialize(stored("item-added", 2, "{\"sku\":\"apple\"}")))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageStartingWith("cannot read payload of type 'item-added' (schema version 2): its JSON does "
                        + "not fit " + ItemAdded.class.getName());
    }

    @Test
    void aStoredTypeNameThatIsAClassNameIsUnknownAndNeverLoaded() {
        assertThatThrownBy(() -> serializer.deserialize(stored(GadgetProbe.GADGET_CLASS, 1, "{\"command\":\"rm\"}")))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("cannot read payload of type '" + GadgetProbe.GADGET_CLASS + "' (schema version 1): "
                        + "no type of this name is registered in the EventTypeRegistry");
        assertThat(GadgetProbe.LOADED).isFalse();
    }

    @Test
    void aClassNameInsideAFreeFormFieldStaysData() {
        Object note = serializer.deserialize(stored("note", 1,
                "{\"body\":[\"" + GadgetProbe.GADGET_CLASS + "\",{\"command\":\"rm\"}]}"));

        assertThat(note).isEqualTo(new Note(List.of(GadgetProbe.GADGET_CLASS, java.util.Map.of("command", "rm"))));
        assertThat(GadgetProbe.LOADED).isFalse();
    }

    @Test
    void classNamePolymorphismIsDeniedEvenWhenAFieldAsksForIt() {
        assertThatThrownBy(() -> serializer.deserialize(stored("armed", 1,
                "{\"payload\":{\"@class\":\"" + GadgetProbe.GADGET_CLASS + "\",\"command\":\"rm\"}}")))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("cannot read payload of type 'armed'");
        assertThat(GadgetProbe.LOADED).isFalse();
    }

    @Test
    @SuppressWarnings("deprecation")
    void aMapperWithDefaultTypingIsRefused() {
        ObjectMapper unsafe = JsonMapper.builder().activateDefaultTyping(BasicPolymorphicTypeValidator.builder()
                .allowIfBaseType(Object.class).build(), ObjectMapper.DefaultTyping.EVERYTHING).build();

        assertThatThrownBy(() -> EventSerializer.create(EventTypeRegistry.builder().build(), unsafe))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("objectMapper must not enable default typing: stored JSON could then name the classes to "
                        + "instantiate");
    }

    @Test
    void anUnregisteredClassCannotBeSerialized() {
        assertThatThrownBy(() -> serializer.serialize("a string"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class java.lang.String is not registered in the EventTypeRegistry; register it with a "
                        + "stable type name");
    }

    @Test
    void aMissingUpcasterIsNamed() {
        EventSerializer noUpcaster = EventSerializer.create(EventTypeRegistry.builder()
                .register("item-added", 3, ItemAdded.class).upcaster("item-added", 2, data -> data).build());

        assertThatThrownBy(() -> noUpcaster.deserialize(stored("item-added", 1, "{\"sku\":\"a\"}")))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("cannot read payload of type 'item-added' (schema version 1): no upcaster from schema "
                        + "version 1 is registered");
    }
}
