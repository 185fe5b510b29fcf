package dev.lockstep.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The key type of the embedded store's unique indexes (a {@link KeyValue}: the indexed values of one
 * document). mongo-java-server leaves them to H2's default type, which cannot compare a
 * {@code KeyValue} and so Java-serializes both sides of every comparison of every B-tree search:
 * most of the store's CPU went there (index lookups on each insert, and compaction). Here keys
 * compare value by value, natively for the usual types.
 *
 * <p>The order is total and agrees with {@link KeyValue#equals} (equal lists of equal values): by
 * size, then per value: null first, then by class name when the classes differ, then by the value's
 * natural order, or, for values that have none, by their BSON bytes.
 */
final class KeyValueType extends BasicDataType<KeyValue> {
    static final KeyValueType INSTANCE = new KeyValueType();

    private KeyValueType() {
    }

    @Override
    public int compare(KeyValue a, KeyValue b) {
        int n = Integer.compare(a.size(), b.size());
        for (int i = 0; n == 0 && i < a.size(); i++) {
            n = compareValues(a.get(i), b.get(i));
        }
        return n;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object x, Object y) {
        if (x == y) {
            return 0;
        }
        if (x == null || y == null) {
            return x == null ? -1 : 1;
        }
        if (x.getClass() != y.getClass()) {
            return x.getClass().getName().compareTo(y.getClass().getName());
        }
        if (x instanceof Comparable c) {
            return c.compareTo(y);
        }
        return Arrays.compareUnsigned(bson(x), bson(y));
    }

    private static byte[] bson(Object v) {
        ByteBuf buf = Unpooled.buffer(64);
        BsonEncoder.encodeValue(BsonEncoder.determineType(v), v, buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    @Override
    public void write(WriteBuffer buff, KeyValue key) {
        buff.putVarInt(key.size());
        for (Object v : key) {
            byte type = BsonEncoder.determineType(v);
            byte[] bytes = bson(v);
            buff.put(type).putVarInt(bytes.length).put(bytes);
        }
    }

    @Override
    public KeyValue read(ByteBuffer buff) {
        int size = DataUtils.readVarInt(buff);
        List<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            byte type = buff.get();
            int length = DataUtils.readVarInt(buff);
            ByteBuffer slice = buff.duplicate();
            slice.limit(slice.position() + length);
            buff.position(buff.position() + length);
            values.add(BsonDecoder.decodeValue(type, Unpooled.wrappedBuffer(slice)));
        }
        return new KeyValue(values);
    }

    @Override
    public int getMemory(KeyValue key) {
        int n = 24;
        for (Object v : key) {
            n += v instanceof CharSequence s ? 40 + s.length() : 24;
        }
        return n;
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }
}
