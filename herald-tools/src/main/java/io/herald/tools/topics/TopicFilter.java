package io.herald.tools.topics;

import io.herald.tools.CommandException;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Kafka's topic include-list matching for {@code --topic}/{@code --include}: the value is a regular expression in which
 * commas mean "or", spaces are dropped and surrounding quotes are stripped; internal topics can be excluded.
 */
public final class TopicFilter {
    /** Kafka's internal topics (hidden with {@code --exclude-internal}). */
    public static final Set<String> INTERNAL_TOPICS =
            Set.of("__consumer_offsets", "__transaction_state", "__share_group_state");

    private final Pattern pattern;

    public TopicFilter(String rawRegex) {
        String regex = rawRegex.trim()
                .replace(',', '|')
                .replace(" ", "")
                .replaceAll("^[\"']+", "")
                .replaceAll("[\"']+$", "");
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CommandException(regex + " is an invalid regex.");
        }
    }

    public boolean isTopicAllowed(String topic, boolean excludeInternal) {
        return pattern.matcher(topic).matches() && !(excludeInternal && isInternal(topic));
    }

    public static boolean isInternal(String topic) {
        return INTERNAL_TOPICS.contains(topic);
    }

    /** Kafka warns on create when a name has '.' or '_', since metric names treat them alike. */
    public static boolean hasCollisionChars(String topic) {
        return topic.contains("_") || topic.contains(".");
    }
}
