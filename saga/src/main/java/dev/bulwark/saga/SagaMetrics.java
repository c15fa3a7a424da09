package dev.bulwark.saga;

/** Where the orchestrator reports what it does; Micrometer when a registry was given, else nowhere. */
interface SagaMetrics {

    void started(String saga);

    /** A saga ended or was parked in {@code state}. */
    void ended(String saga, SagaState state);

    void step(String saga, String step, StepRecord.Phase phase, StepRecord.Outcome outcome, long nanos);

    SagaMetrics NONE = new SagaMetrics() {
        @Override
        public void started(String saga) {}

        @Override
        public void ended(String saga, SagaState state) {}

        @Override
        public void step(String saga, String step, StepRecord.Phase phase, StepRecord.Outcome outcome, long nanos) {}
    };
}
