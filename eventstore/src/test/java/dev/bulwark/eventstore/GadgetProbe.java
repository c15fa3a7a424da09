package dev.bulwark.eventstore;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands in for a deserialization gadget: a class whose mere loading would run code. Its static initializer flips
 * {@link #LOADED}, so a test can tell whether anything initialized it by name. Nothing in the tests refers to
 * {@link Gadget} other than by its name as a string.
 */
final class GadgetProbe {
    static final AtomicBoolean LOADED = new AtomicBoolean();

    private GadgetProbe() {}

    /** The gadget. Never registered, never named in code. */
    static final class Gadget {
        static {
            LOADED.set(true);
        }

        public Gadget() {
            LOADED.set(true);
        }

        public void setCommand(String command) {
            LOADED.set(true);
        }
    }

    /** The name a hostile payload would use. */
    static final String GADGET_CLASS = "dev.bulwark.eventstore.GadgetProbe$Gadget";
}
