package org.mxpolicy.zone.corrections;

import java.io.IOException;
import java.math.BigDecimal;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.LOCRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * LOC (RFC 1876) read and written exactly, in integer units of the wire form (thousandths of an
 * arc second, centimetres). dnsjava 3.7.0 goes through {@code double}: the largest altitude,
 * 42849672.95m, is read as ...72.90m or so, "-0.50m" loses its sign ("-0" parses as 0), and it
 * refuses a coordinate without minutes and seconds ("40 N"), which RFC 1876 section 3 allows
 * (3.6.4 read that but wrote "-9978.85m" as "-9978.-85m"). The presentation form here is that of
 * BIND and ldns: {@code d m s.sss N d m s.sss E alt.ccm size hp vp}.
 */
final class CorrectedLocRecord extends LOCRecord {

    /** The equator and prime meridian are 2^31 (RFC 1876 section 2). */
    private static final long EQUATOR = 1L << 31;
    /** Altitude is counted in centimetres from 100000m below the WGS 84 reference spheroid. */
    private static final long BASE_ALTITUDE_CM = 10_000_000L;

    private static final int DEFAULT_SIZE = 0x12; // 1m
    private static final int DEFAULT_HORIZONTAL = 0x16; // 10000m
    private static final int DEFAULT_VERTICAL = 0x13; // 10m

    CorrectedLocRecord() {
        super(Name.root, DClass.IN, 0, 0, 0, 0, 1, 10000, 10);
    }

    @Override
    protected void rdataFromString(Tokenizer st, Name origin) throws IOException {
        long latitude = coordinate(st, 90, 'N', 'S');
        long longitude = coordinate(st, 180, 'E', 'W');
        long altitude = centimetres(st, st.getString(), true);
        if (altitude < -BASE_ALTITUDE_CM || altitude > 0xffffffffL - BASE_ALTITUDE_CM) {
            throw st.exception("altitude out of range (-100000.00m to 42849672.95m)");
        }
        int[] precision = {DEFAULT_SIZE, DEFAULT_HORIZONTAL, DEFAULT_VERTICAL};
        for (int i = 0; i < 3; i++) {
            Tokenizer.Token t = st.get();
            if (!t.isString()) {
                st.unget();
                break;
            }
            precision[i] = precision(st, centimetres(st, t.value, false));
        }
        DNSOutput out = new DNSOutput(16);
        out.writeU8(0);
        out.writeU8(precision[0]);
        out.writeU8(precision[1]);
        out.writeU8(precision[2]);
        out.writeU32(latitude);
        out.writeU32(longitude);
        out.writeU32(altitude + BASE_ALTITUDE_CM);
        rrFromWire(new DNSInput(out.toByteArray()));
    }

    @Override
    protected String rrToString() {
        DNSOutput out = new DNSOutput(16);
        rrToWire(out, null, true);
        byte[] wire = out.toByteArray();
        DNSInput in = new DNSInput(wire);
        try {
            in.readU8();
            int size = in.readU8();
            int horizontal = in.readU8();
            int vertical = in.readU8();
            String latitude = coordinate(in.readU32(), 'N', 'S');
            String longitude = coordinate(in.readU32(), 'E', 'W');
            long altitude = in.readU32() - BASE_ALTITUDE_CM;
            return latitude + " " + longitude + " " + (altitude < 0 ? "-" : "") + Math.abs(altitude) / 100 + "."
                    + String.format("%02d", Math.abs(altitude) % 100) + "m " + metres(size) + " " + metres(horizontal)
                    + " " + metres(vertical);
        } catch (IOException e) {
            throw new IllegalStateException("a LOC RDATA is 16 bytes", e);
        }
    }

    /** {@code deg [min [sec]] hemisphere}, in thousandths of an arc second from 2^31. */
    private static long coordinate(Tokenizer st, int maxDegrees, char positive, char negative) throws IOException {
        long degrees = integer(st, st.getString(), maxDegrees, "degrees");
        long minutes = 0;
        long milliseconds = 0;
        String next = st.getString();
        if (!isHemisphere(next, positive, negative)) {
            minutes = integer(st, next, 59, "minutes");
            next = st.getString();
            if (!isHemisphere(next, positive, negative)) {
                BigDecimal seconds;
                try {
                    seconds = new BigDecimal(next).movePointRight(3);
                } catch (NumberFormatException e) {
                    throw st.exception("'" + next + "' is not seconds of arc");
                }
                if (next.startsWith("-")
                        || next.startsWith("+")
                        || seconds.stripTrailingZeros().scale() > 0
                        || seconds.compareTo(BigDecimal.valueOf(60_000)) >= 0) {
                    throw st.exception("'" + next + "' is not seconds of arc (0 to 59.999)");
                }
                milliseconds = seconds.longValueExact();
                next = st.getString();
                if (!isHemisphere(next, positive, negative)) {
                    throw st.exception("'" + next + "' is not " + positive + " or " + negative);
                }
            }
        }
        long value = (degrees * 3600 + minutes * 60) * 1000 + milliseconds;
        if (value > maxDegrees * 3_600_000L) {
            throw st.exception("coordinate beyond " + maxDegrees + " degrees");
        }
        return Character.toUpperCase(next.charAt(0)) == positive ? EQUATOR + value : EQUATOR - value;
    }

    private static boolean isHemisphere(String token, char positive, char negative) {
        return token.length() == 1
                && (Character.toUpperCase(token.charAt(0)) == positive
                        || Character.toUpperCase(token.charAt(0)) == negative);
    }

    private static long integer(Tokenizer st, String token, long max, String what) throws IOException {
        if (!token.matches("[0-9]{1,10}") || Long.parseLong(token) > max) {
            throw st.exception("'" + token + "' is not " + what + " (0 to " + max + ")");
        }
        return Long.parseLong(token);
    }

    /** Metres with up to two decimals and an optional "m", in centimetres. */
    private static long centimetres(Tokenizer st, String token, boolean signed) throws IOException {
        String number = token.endsWith("m") || token.endsWith("M") ? token.substring(0, token.length() - 1) : token;
        if (!number.matches(signed ? "-?[0-9]{1,10}(\\.[0-9]{0,2})?" : "[0-9]{1,10}(\\.[0-9]{0,2})?")) {
            throw st.exception("'" + token + "' is not " + (signed ? "an altitude" : "a size or precision")
                    + " in metres with at most two decimals");
        }
        return new BigDecimal(number).movePointRight(2).longValueExact();
    }

    /** The size and precision encoding of RFC 1876 section 2: mantissa and power of ten of centimetres. */
    private static int precision(Tokenizer st, long centimetres) throws IOException {
        if (centimetres > 9_000_000_000L) {
            throw st.exception("size or precision over 90000000m");
        }
        int exponent = 0;
        while (exponent < 9 && centimetres >= pow10(exponent + 1)) {
            exponent++;
        }
        // As BIND and ldns: a value with more digits than the mantissa holds is truncated.
        return (int) (centimetres / pow10(exponent)) << 4 | exponent;
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    private static String coordinate(long value, char positive, char negative) {
        long offset = value - EQUATOR;
        long abs = Math.abs(offset);
        return abs / 3_600_000 + " " + abs % 3_600_000 / 60_000 + " " + abs % 60_000 / 1000 + "."
                + String.format("%03d", abs % 1000) + " " + (offset < 0 ? negative : positive);
    }

    private static String metres(int encoded) {
        long cm = (encoded >> 4) * pow10(encoded & 0xf);
        return cm % 100 == 0 ? cm / 100 + "m" : cm / 100 + "." + String.format("%02d", cm % 100) + "m";
    }
}
