package org.mxpolicy.rollover;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.mxpolicy.config.ProviderConfig;

/**
 * A command line to suggest in a message, with the config it was run with, so that an operator
 * can paste it as it is (a hint without {@code -c} would read the default config).
 */
final class CommandHint {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private CommandHint() {}

    /**
     * @param command the command and subcommand, e.g. {@code "rollover status"}
     * @param arguments what follows {@code -c CONFIG}
     */
    static String of(ProviderConfig config, String command, String... arguments) {
        List<String> words = new ArrayList<>(List.of("mxpolicy", command, "-c", quoted(config.source())));
        for (String argument : arguments) {
            words.add(quoted(argument));
        }
        return String.join(" ", words);
    }

    static String quoted(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
