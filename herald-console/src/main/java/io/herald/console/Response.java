package io.herald.console;

import java.util.List;

/** What a page answers: a status and HTML, or a redirect (303 after a POST that changed something). */
record Response(int status, String html, String location, List<String> cookies) {
    static Response ok(String html) {
        return new Response(200, html, null, List.of());
    }

    static Response status(int status, String html) {
        return new Response(status, html, null, List.of());
    }

    static Response redirect(String location) {
        return new Response(303, "", location, List.of());
    }

    Response withCookie(String cookie) {
        List<String> all = new java.util.ArrayList<>(cookies);
        all.add(cookie);
        return new Response(status, html, location, List.copyOf(all));
    }
}
