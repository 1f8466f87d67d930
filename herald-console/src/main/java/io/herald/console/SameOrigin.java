package io.herald.console;

import java.net.URI;

/**
 * CSRF protection for the console's forms: a POST is accepted only when the browser says it comes from a page of this
 * same origin ({@code Origin}, else {@code Referer}, must name the {@code Host} the request was sent to). Browsers set
 * these headers on every cross-site form post and scripts cannot forge them; a POST carrying neither is refused.
 */
final class SameOrigin {
    private SameOrigin() {}

    static boolean allowed(Request request) {
        String host = request.header("Host");
        if (host == null) {
            return false;
        }
        String fetchSite = request.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return false;
        }
        String origin = request.header("Origin");
        if (origin == null || origin.equals("null")) {
            origin = request.header("Referer");
        }
        if (origin == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
