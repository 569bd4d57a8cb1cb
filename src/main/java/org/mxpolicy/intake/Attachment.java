package org.mxpolicy.intake;

import java.util.Objects;

/** A MIME part that may hold a report, decoded from its transfer encoding. */
final class Attachment {

    private final String name;
    private final String contentType;
    private final byte[] bytes;

    /**
     * An attachment.
     *
     * @param name the file name it was sent with, or a description of the part when it has none
     * @param contentType its MIME type, lower case
     * @param bytes the decoded content; one byte more than the attachment limit when it is larger
     */
    Attachment(String name, String contentType, byte[] bytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.bytes = bytes.clone();
    }

    String name() {
        return name;
    }

    String contentType() {
        return contentType;
    }

    byte[] bytes() {
        return bytes.clone();
    }
}
