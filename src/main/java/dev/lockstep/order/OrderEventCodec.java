package dev.lockstep.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/** The one JSON form of an {@link OrderEvent} inside the queue (job payloads). */
public final class OrderEventCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private OrderEventCodec() {
    }

    public static String encode(OrderEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode order event " + event.effectId(), e);
        }
    }

    public static OrderEvent decode(String json) {
        try {
            return MAPPER.readValue(json, OrderEvent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot decode order event payload", e);
        }
    }
}
