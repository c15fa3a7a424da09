/**
 * Resilience policies that protect remote calls: circuit breaker, retry, timeout, bulkhead (fixed and
 * adaptive), rate limiter, hedging, fallback and fault injection, composed outermost-first in a
 * pipeline. Policies are small immutable objects built from validated record configs; their hot paths
 * take no locks, every wait and measurement goes through an injectable clock, and metrics bind to
 * Micrometer only when it is on the class path.
 */
package dev.bulwark.resilience;
