package io.herald.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request as the pages see it: method, path, and the query and form parameters (first value wins). */
final class Request {
    /** A form body larger than this is refused (a produced test message is the largest thing a form carries). */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final String method;
    private final String path;
    private final Map<String, String> params;
    private final Map<String, String> headers;

    Request(String method, String path, Map<String, String> params, Map<String, String> headers) {
        this.method = method;
        this.path = path;
        this.params = params;
        this.headers = headers;
    }

    static Request read(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        parseInto(exchange.getRequestURI().getRawQuery(), params);
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        if (method.equals("POST")) {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    throw new BadRequest("The form is larger than " + MAX_BODY_BYTES + " bytes");
                }
                parseInto(new String(body, StandardCharsets.UTF_8), params);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {"Host", "Origin", "Referer", "Cookie", "Sec-Fetch-Site"}) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new Request(method, exchange.getRequestURI().getPath(), params, headers);
    }

    static void parseInto(String encoded, Map<String, String> params) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("Malformed form encoding");
        }
    }

    String method() {
        return method;
    }

    boolean isPost() {
        return method.equals("POST");
    }

    String path() {
        return path;
    }

    /** A parameter's value, trimmed; empty when absent. */
    String param(String name) {
        String value = params.get(name);
        return value == null ? "" : value.trim();
    }

    /** A parameter's value exactly as sent (message keys and values keep their spaces). */
    String rawParam(String name) {
        String value = params.get(name);
        return value == null ? "" : value;
    }

    String header(String name) {
        return headers.get(name);
    }

    /** The value of one cookie, or null. */
    String cookie(String name) {
        String header = headers.get("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** A request the console refuses before acting: shown to the user as a 400 page. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
