package dev.bulwark.saga;

/** The kinds of step in the saga literature (Garcia-Molina and Salem; Richardson's saga pattern). */
enum StepKind {
    /** Before the pivot: may be undone by a compensation if a later step fails. */
    COMPENSATABLE,
    /** The point of no return: once it completes, the saga runs forward only. */
    PIVOT,
    /** After the pivot: has no compensation and must eventually succeed. */
    RETRIABLE;

    String label() {
        return switch (this) {
            case COMPENSATABLE -> "step";
            case PIVOT -> "pivot step";
            case RETRIABLE -> "retriable step";
        };
    }
}
