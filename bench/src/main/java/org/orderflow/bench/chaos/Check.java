package org.orderflow.bench.chaos;

import java.util.List;

/**
 * One verdict of the run.
 *
 * @param name       what must hold
 * @param checked    how many things it was checked on (orders, products, records)
 * @param violations how many of them broke it
 * @param examples   the first few that did, to start looking from
 */
record Check(String name, long checked, long violations, List<String> examples) {
    static final int EXAMPLES = 5;

    static Check of(String name, long checked, List<String> violating) {
        return new Check(name, checked, violating.size(), violating.stream().limit(EXAMPLES).toList());
    }

    boolean passed() {
        return violations == 0;
    }
}
