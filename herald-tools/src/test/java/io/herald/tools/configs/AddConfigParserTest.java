package io.herald.tools.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddConfigParserTest {
    @Test
    void pairsInOrderWithBracketedListsFlattened() {
        assertThat(AddConfigParser.parse("a=1,b=[x,y],c=3"))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "x,y"), Map.entry("c", "3"));
        assertThat(AddConfigParser.parse("cleanup.policy=[compact,delete],min.insync.replicas=2"))
                .containsExactly(Map.entry("cleanup.policy", "compact,delete"), Map.entry("min.insync.replicas", "2"));
    }

    @Test
    void whitespaceAroundKeysAndValuesIsTrimmed() {
        assertThat(AddConfigParser.parse(" a = 1 , b= [ x ,y ] "))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "x ,y"));
    }

    @Test
    void separatorsInsideBracketsBelongToTheValue() {
        assertThat(AddConfigParser.parse("a=[x=y,z]")).containsExactly(Map.entry("a", "x=y,z"));
        assertThat(AddConfigParser.parse("a=[p],b=[q,r]")).containsExactly(Map.entry("a", "p"), Map.entry("b", "q,r"));
    }

    @Test
    void emptyValuesAndTrailingCommas() {
        assertThat(AddConfigParser.parse("a=")).containsExactly(Map.entry("a", ""));
        assertThat(AddConfigParser.parse("a=1,,")).containsExactly(Map.entry("a", "1"));
        assertThat(AddConfigParser.parse(",")).isEmpty();
    }

    @Test
    void laterDuplicateWins() {
        assertThat(AddConfigParser.parse("a=1,a=2")).containsExactly(Map.entry("a", "2"));
    }

    @Test
    void whereBracketsAreUnbalancedWhatFollowsDecides() {
        // No ']' after the comma: it separates, and "y" is a pair without '='.
        assertThatThrownBy(() -> AddConfigParser.parse("a=[x,y")).hasMessage(AddConfigParser.INVALID);
        // A stray ']' brackets everything before it, back to the start: the '=' of "a=x]" does not separate.
        assertThatThrownBy(() -> AddConfigParser.parse("a=x],b=1")).hasMessage(AddConfigParser.INVALID);
        assertThat(AddConfigParser.parse("b=1,a=[x]]")).containsExactly(Map.entry("b", "1"), Map.entry("a", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a=b=c", "a=1,,b=2", ",a=1", "a=1,b"})
    void malformedPairsAreRefused(String text) {
        assertThatThrownBy(() -> AddConfigParser.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(AddConfigParser.INVALID);
    }
}
