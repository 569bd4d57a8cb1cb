package org.mxpolicy.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints a bash/zsh completion script generated from the command definitions. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a bash (and zsh) completion script for mxpolicy.",
        footer = {
            "",
            "Examples:",
            "  source <(mxpolicy completion)",
            "  mxpolicy completion > /etc/bash_completion.d/mxpolicy"
        })
final class CompletionCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        String script = AutoComplete.bash("mxpolicy", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
