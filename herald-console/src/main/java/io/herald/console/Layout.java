package io.herald.console;

import static j2html.TagCreator.a;
import static j2html.TagCreator.body;
import static j2html.TagCreator.button;
import static j2html.TagCreator.div;
import static j2html.TagCreator.document;
import static j2html.TagCreator.each;
import static j2html.TagCreator.form;
import static j2html.TagCreator.h1;
import static j2html.TagCreator.head;
import static j2html.TagCreator.header;
import static j2html.TagCreator.html;
import static j2html.TagCreator.li;
import static j2html.TagCreator.main;
import static j2html.TagCreator.meta;
import static j2html.TagCreator.nav;
import static j2html.TagCreator.rawHtml;
import static j2html.TagCreator.span;
import static j2html.TagCreator.style;
import static j2html.TagCreator.title;
import static j2html.TagCreator.ul;

import j2html.tags.DomContent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The page shell every console page shares: navigation, the signed-in principal, a status or error box, and a small
 * stylesheet inline (one request per page, nothing to cache-bust). All text goes through j2html, which escapes it.
 */
final class Layout {
    private static final String CSS = "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f23}"
            + "header{background:#1f2d3d;color:#fff;padding:.5em 1em;display:flex;gap:2em;align-items:center}"
            + "header a{color:#fff;text-decoration:none;margin-right:1.2em}header a:focus,header a:hover{text-decoration:underline}"
            + "header .who{margin-left:auto}main{padding:1em 1.5em;max-width:110em}"
            + "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #d0d7de;padding:.25em .6em;"
            + "text-align:left;vertical-align:top}th{background:#f3f5f7}td.num,th.num{text-align:right}"
            + ".ok{background:#e6f4ea;border:1px solid #34a853;padding:.5em 1em;margin:.5em 0}"
            + ".error{background:#fdecea;border:1px solid #d93025;padding:.5em 1em;margin:.5em 0;white-space:pre-wrap}"
            + ".bad{color:#b3261e;font-weight:600}pre{margin:0;max-width:70em;max-height:30em;overflow:auto;white-space:pre-wrap;"
            + "word-break:break-all}form.inline{display:inline}fieldset{margin:1em 0;border:1px solid #d0d7de}"
            + "label{display:inline-block;margin:.2em 1em .2em 0}input,select,textarea,button{font:inherit}"
            + "textarea{width:40em;max-width:100%}.muted{color:#57606a}.kind{font-size:.8em;color:#57606a}";

    private Layout() {}

    /** A page: title, the principal acting (null when there is no login), an optional status line, and content. */
    static String page(String pageTitle, String principal, Notice notice, DomContent... content) {
        return page(pageTitle, principal, notice, 0, content);
    }

    /** A page the browser reloads every {@code refreshSeconds} (0: never), without any script. */
    static String page(String pageTitle, String principal, Notice notice, int refreshSeconds, DomContent... content) {
        return document(html(
                        head(
                                meta().withCharset("utf-8"),
                                meta().withName("viewport").withContent("width=device-width, initial-scale=1"),
                                title(pageTitle + " · Herald console"),
                                refreshSeconds > 0
                                        ? meta().attr("http-equiv", "refresh")
                                                .withContent(Integer.toString(refreshSeconds))
                                        : span(),
                                style(rawHtml(CSS))),
                        body(
                                header(
                                        nav(ul(
                                                                li(a("Overview").withHref("/")),
                                                                li(a("Topics").withHref("/topics")),
                                                                li(a("Consumer groups")
                                                                        .withHref("/groups")),
                                                                li(a("Brokers").withHref("/brokers")))
                                                        .withStyle("display:flex;list-style:none;margin:0;padding:0"))
                                                .attr("aria-label", "Console sections"),
                                        principal == null
                                                ? span()
                                                : span(span("Signed in as " + principal), logout())
                                                        .withClass("who")),
                                main(
                                        h1(pageTitle),
                                        notice == null ? span() : notice.render(),
                                        each(List.of(content), c -> c))))
                .withLang("en"));
    }

    private static DomContent logout() {
        return form(button("Sign out").withType("submit"))
                .withMethod("post")
                .withAction("/logout")
                .withClass("inline");
    }

    /** The outcome of the last action shown at the top of a page: a success line or Kafka's error. */
    record Notice(boolean error, String text) {
        static Notice ok(String text) {
            return new Notice(false, text);
        }

        static Notice error(String text) {
            return new Notice(true, text);
        }

        DomContent render() {
            return error
                    ? div(text).withClass("error").attr("role", "alert")
                    : div(text).withClass("ok").attr("role", "status");
        }
    }

    /** A query-string value, URL-encoded (j2html then escapes the whole attribute). */
    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A link to a topic's page. */
    static DomContent topicLink(String topic) {
        return a(topic).withHref("/topic?name=" + q(topic));
    }

    /** A link to a group's page. */
    static DomContent groupLink(String group) {
        return a(group).withHref("/group?id=" + q(group));
    }

    static DomContent numeric(long value) {
        return span(Long.toString(value));
    }

    /** A byte count in binary units. */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "–";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A page that says what went wrong, with Kafka's message. */
    static String errorPage(String pageTitle, String principal, String message) {
        return page(pageTitle, principal, Notice.error(message));
    }

    /** A submit button. */
    static j2html.tags.specialized.ButtonTag submit(String label) {
        return button(label).withType("submit");
    }

    /** A form control inside its label (so the label names it for assistive technology). */
    static DomContent field(String label, DomContent control) {
        return j2html.TagCreator.label(j2html.TagCreator.text(label), control);
    }

    static DomContent muted(String text) {
        return span(text).withClass("muted");
    }

    static DomContent heading(String text) {
        return j2html.TagCreator.h2(text);
    }

    static DomContent paragraph(DomContent... content) {
        return j2html.TagCreator.p(content);
    }

    static DomContent box(DomContent... content) {
        return div(content);
    }
}
