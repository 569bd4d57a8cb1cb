package org.mxpolicy.intake;

import java.util.List;

/**
 * The user and password for the IMAP mailbox, from a login file: the user on its first line, the
 * password (the rest of the second line, spaces included) on its second.
 */
public record ImapLogin(String user, String password) {

    public ImapLogin {
        if (user.isBlank() || password.isEmpty()) {
            throw new IllegalArgumentException("the user or the password is empty");
        }
    }

    /** Reads a login file's text; a password is never part of a message. */
    public static ImapLogin parse(String text) {
        List<String> lines = text.lines().toList();
        if (lines.size() < 2 || lines.get(0).strip().isEmpty() || lines.get(1).isEmpty()) {
            throw new IllegalArgumentException(
                    "must hold the user on its first line and the password on its second, found " + lines.size()
                            + (lines.size() == 1 ? " line" : " lines"));
        }
        if (lines.stream().skip(2).anyMatch(l -> !l.isBlank())) {
            throw new IllegalArgumentException("has more than two lines: the user, then the password");
        }
        return new ImapLogin(lines.get(0).strip(), lines.get(1));
    }

    @Override
    public String toString() {
        return "ImapLogin[user=" + user + ", password=(hidden)]";
    }
}
