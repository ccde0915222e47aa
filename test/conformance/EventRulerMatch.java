import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import software.amazon.event.ruler.Machine;

/**
 * Batch front-end to AWS event-ruler, the open-source engine behind EventBridge pattern matching.
 *
 * <p>stdin:  JSON array of {"pattern": "&lt;pattern JSON string&gt;", "event": "&lt;event JSON string&gt;"}
 * <br>stdout: JSON array of booleans, same order.
 * <br>Any malformed input, pattern or event: message naming the case index on stderr, exit code 2,
 * nothing on stdout -- a broken pattern must never be reported as a plain "no match".
 *
 * <p>Each case does exactly what {@code Ruler.matchesRule(event, pattern)} does in event-ruler 2.x
 * (a fresh {@code Machine}, {@code addRule}, then {@code rulesForJSONEvent}); the two steps are
 * inlined only so an error can say whether the pattern or the event was at fault. That path goes
 * through {@code JsonRuleCompiler}, which understands the full syntax ($or, prefix, suffix,
 * anything-but, exists, numeric, cidr, wildcard, equals-ignore-case), and {@code rulesForJSONEvent}
 * gives EventBridge's array semantics (any element may match, array-consistent for objects in
 * arrays). The deprecated {@code Ruler.matches} is deliberately not used: it knows no $or.
 *
 * <p>event-ruler.ts compiles this once into target/classes and runs the class: ~0.25 s per call,
 * versus ~0.8 s for a Java 11+ single-file source launch, which recompiles on every call.
 */
public final class EventRulerMatch {
    private EventRulerMatch() { }

    public static void main(String[] args) {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode cases;
        try {
            cases = mapper.readTree(System.in);
        } catch (Exception e) {
            fail("stdin is not valid JSON: " + e.getMessage());
            return;
        }
        if (cases == null || !cases.isArray()) {
            fail("stdin must be a JSON array of {\"pattern\": string, \"event\": string}");
            return;
        }

        ArrayNode results = mapper.createArrayNode();
        for (int i = 0; i < cases.size(); i++) {
            String pattern = text(cases.get(i), "pattern", i);
            String event = text(cases.get(i), "event", i);

            // Same configuration as the deprecated `new Machine()` that Ruler.matchesRule uses.
            Machine machine = Machine.builder().build();
            try {
                machine.addRule("pattern", pattern);
            } catch (Exception e) {
                fail("case " + i + ": invalid pattern: " + describe(e) + "\n  pattern: " + pattern);
            }
            try {
                results.add(!machine.rulesForJSONEvent(event).isEmpty());
            } catch (Exception e) {
                fail("case " + i + ": cannot match event: " + describe(e) + "\n  event: " + event);
            }
        }

        try {
            mapper.writeValue(System.out, results);
        } catch (Exception e) {
            fail("cannot write results: " + describe(e));
        }
    }

    // The TS side always sends JSON.stringify output, so anything else is a caller bug, not a non-match.
    private static String text(JsonNode c, String field, int index) {
        JsonNode value = c == null ? null : c.get(field);
        if (value == null || !value.isTextual()) {
            fail("case " + index + ": \"" + field + "\" must be a string holding JSON");
        }
        return value.asText();
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void fail(String message) {
        System.err.println("EventRulerMatch: " + message);
        System.exit(2);
    }
}
