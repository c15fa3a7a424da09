package dev.bulwark.saga;

import java.util.ArrayList;
import java.util.List;

/** Renders a definition as a Mermaid flowchart. Ids are validated, so they are safe inside quoted labels. */
final class Mermaid {
    private Mermaid() {}

    static <D> String render(SagaDefinition<D> definition) {
        StringBuilder out = new StringBuilder("flowchart TD\n");
        List<Step<D>> steps = definition.steps();
        line(out, "start([\"start " + definition.name() + " v" + definition.version() + "\"])");
        for (int i = 0; i < steps.size(); i++) {
            Step<D> step = steps.get(i);
            String label = step.id();
            line(out, switch (step.kind()) {
                case COMPENSATABLE -> "s" + i + "[\"" + label + "\"]";
                case PIVOT -> "s" + i + "{{\"" + label + " (pivot)\"}}";
                case RETRIABLE -> "s" + i + "[[\"" + label + " (retriable)\"]]";
            });
        }
        line(out, "completed([\"completed\"])");
        List<List<String>> units = new ArrayList<>();
        for (List<Step<D>> unit : definition.units()) {
            units.add(unit.stream().map(step -> "s" + steps.indexOf(step)).toList());
        }
        List<String> previous = List.of("start");
        for (List<String> unit : units) {
            edges(out, previous, unit, " --> ");
            previous = unit;
        }
        edges(out, previous, List.of("completed"), " --> ");
        compensations(out, steps);
        return out.toString();
    }

    /**
     * The compensation chain, last step first, ending in "compensated"; each step that can fail before the
     * pivot completes points (dotted) at the compensation of the latest compensatable step before its unit, or at
     * its own when it is compensated on failure.
     */
    private static <D> void compensations(StringBuilder out, List<Step<D>> steps) {
        if (steps.stream().noneMatch(Step::compensatable)) {
            return;
        }
        line(out, "compensated([\"compensated\"])");
        String next = "compensated";
        List<String> entryBefore = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            entryBefore.add(null);
        }
        for (int i = 0; i < steps.size(); i++) {
            Step<D> step = steps.get(i);
            String entry = "compensated";
            for (int j = i - 1; j >= 0; j--) {
                if (steps.get(j).unit() < step.unit() && steps.get(j).compensatable()) {
                    entry = "c" + j;
                    break;
                }
            }
            entryBefore.set(i, entry);
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).compensatable()) {
                line(out, "c" + i + "[\"compensate " + steps.get(i).id() + "\"]");
                line(out, "c" + i + " --> " + next);
                next = "c" + i;
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).compensateOnFailure()) {
                // Its failure may hide an effect: its own compensation runs first.
                line(out, "s" + i + " -. fails .-> c" + i);
            } else if (steps.get(i).kind() != StepKind.RETRIABLE) {
                line(out, "s" + i + " -. fails .-> " + entryBefore.get(i));
            }
        }
    }

    private static void edges(StringBuilder out, List<String> from, List<String> to, String arrow) {
        for (String a : from) {
            for (String b : to) {
                line(out, a + arrow + b);
            }
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append("    ").append(text).append('\n');
    }
}
