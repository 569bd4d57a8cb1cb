package org.mxpolicy.server;

import java.io.ByteArrayInputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the one value the server needs from an Outlook Autodiscover (POX) request body: the
 * {@code Autodiscover/Request/EMailAddress}. The body comes from anyone on the Internet, so it is
 * parsed defensively: at most {@link #MAX_BYTES}, no DTD (and so no entity of any kind, external
 * or internal: "billion laughs" and XXE need one), and the address must be a plain address of the
 * served domain before it goes into the response.
 */
public final class AutodiscoverRequest {

    /** A real request is about 350 bytes; anything beyond this is not one. */
    public static final int MAX_BYTES = 8 * 1024;

    private static final int MAX_ADDRESS = 254;
    private static final int MAX_LOCAL_PART = 64;
    /** RFC 5322 section 3.2.3 dot-atom: atext runs separated by single dots. */
    private static final Pattern DOT_ATOM =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private static final XMLInputFactory FACTORY = factory();

    private AutodiscoverRequest() {}

    /** The request cannot be answered; the message says why, for the 400 response. */
    public static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    /**
     * The address asked for, lower-cased in its domain part.
     *
     * @param domain the domain the Autodiscover host belongs to; the address must be in it
     * @throws BadRequest when the body is too large, not well-formed XML, has a DTD, has no
     *     {@code EMailAddress}, or the address is not a plain address of {@code domain}
     */
    public static String emailAddress(byte[] body, String domain) throws BadRequest {
        if (body.length > MAX_BYTES) {
            throw new BadRequest("request body over " + MAX_BYTES + " bytes");
        }
        String address = findAddress(body).orElseThrow(() -> new BadRequest("no Request/EMailAddress in the request"));
        return checkAddress(address.strip(), domain);
    }

    private static Optional<String> findAddress(byte[] body) throws BadRequest {
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            int depth = 0;
            boolean inRequest = false;
            String found = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new BadRequest("a DTD or entity reference in the request");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = reader.getLocalName();
                    if (depth == 1 && !name.equals("Autodiscover")) {
                        throw new BadRequest("the root element is not Autodiscover");
                    }
                    if (depth == 2 && name.equals("Request")) {
                        inRequest = true;
                    } else if (depth == 3 && inRequest && name.equals("EMailAddress") && found == null) {
                        // getElementText fails on child elements: the address is text only
                        found = reader.getElementText();
                        depth--;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (depth == 2) {
                        inRequest = false;
                    }
                    depth--;
                }
            }
            return Optional.ofNullable(found);
        } catch (XMLStreamException | RuntimeException e) {
            throw new BadRequest("the request is not well-formed XML");
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing is held open: the input is a byte array
                }
            }
        }
    }

    private static String checkAddress(String address, String domain) throws BadRequest {
        int at = address.lastIndexOf('@');
        if (address.length() > MAX_ADDRESS || at <= 0 || at > MAX_LOCAL_PART) {
            throw new BadRequest("EMailAddress is not an address of the form local@domain");
        }
        String local = address.substring(0, at);
        String addressDomain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (addressDomain.endsWith(".")) {
            addressDomain = addressDomain.substring(0, addressDomain.length() - 1);
        }
        if (!DOT_ATOM.matcher(local).matches()) {
            throw new BadRequest("EMailAddress has a local part this server does not hand out settings for");
        }
        if (!addressDomain.equals(domain)) {
            throw new BadRequest("EMailAddress is not in " + domain);
        }
        return local + "@" + addressDomain;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }
}
