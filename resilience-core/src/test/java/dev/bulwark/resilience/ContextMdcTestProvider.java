package dev.bulwark.resilience;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple, but with a working MDC: slf4j-simple's own MDC adapter does nothing, which would make the
 * tests of {@link ContextPropagator#mdc()} vacuous. Registered for the tests of this module in
 * {@code META-INF/services}; test classes come first on the class path, so SLF4J picks this provider.
 */
public class ContextMdcTestProvider extends SimpleServiceProvider {
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** Instantiated by SLF4J's service loader. */
    public ContextMdcTestProvider() {
        super();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
