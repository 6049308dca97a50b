package dev.mvp.signaling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void fieldsKeepTheirOrderOnOneLine() {
        String line = new JsonLine().put("scenario", "relay").put("run", 2).put("ok", true).toString();
        assertThat(line).isEqualTo("{\"scenario\":\"relay\",\"run\":2,\"ok\":true}");
    }

    @Test
    void doublesKeepAtMostThreeDecimalsAndWholeOnesNone() {
        String line = new JsonLine().put("a", 1.23456).put("b", 40000.0).put("c", 0.5).toString();
        assertThat(line).isEqualTo("{\"a\":1.235,\"b\":40000,\"c\":0.5}");
    }

    @Test
    void unmeasuredFiguresAreNull() {
        assertThat(new JsonLine().put("p99", Double.NaN).toString()).isEqualTo("{\"p99\":null}");
    }

    @Test
    void stringsAreEscapedSoTheLineParses() {
        String line = new JsonLine().put("failure", "timed out: \"x\"\n\\").toString();
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertThat(o.get("failure").getAsString()).isEqualTo("timed out: \"x\"\n\\");
        assertThat(line).doesNotContain("\n");
    }
}
