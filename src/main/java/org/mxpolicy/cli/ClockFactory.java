package org.mxpolicy.cli;

import java.lang.reflect.Constructor;
import java.time.Clock;
import picocli.CommandLine;

/** Makes picocli's commands, handing the run's clock to those whose constructor takes one. */
final class ClockFactory implements CommandLine.IFactory {

    private final Clock clock;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    ClockFactory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> constructor;
        try {
            constructor = type.getDeclaredConstructor(Clock.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(type);
        }
        constructor.setAccessible(true);
        return constructor.newInstance(clock);
    }
}
