package io.dartmart.engines.http;

import java.util.List;
import java.util.Locale;

/** The {@code rel="next"} target of {@code Link} headers (RFC 8288): {@code <url>; rel="next", <url>; rel="last"}. */
final class LinkHeader {
    private LinkHeader() {
    }

    /** The next link's URI reference as written, or null when no header names one. */
    static String next(List<String> headers) {
        for (String header : headers) {
            int i = 0;
            while (true) {
                int open = header.indexOf('<', i);
                if (open < 0) {
                    break;
                }
                int close = header.indexOf('>', open);
                if (close < 0) {
                    break;
                }
                String target = header.substring(open + 1, close);
                int end = paramsEnd(header, close + 1);
                if (isNext(header.substring(close + 1, end))) {
                    return target;
                }
                i = end;
            }
        }
        return null;
    }

    /** Where the parameters after a target end: the next comma outside quotes, or the end. */
    private static int paramsEnd(String header, int from) {
        boolean quoted = false;
        for (int i = from; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return header.length();
    }

    private static boolean isNext(String params) {
        for (String param : params.split(";")) {
            String[] kv = param.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("rel")) {
                String value = kv[1].trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                for (String rel : value.toLowerCase(Locale.ROOT).split("\\s+")) {
                    if (rel.equals("next")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
