package dev.lockstep.embedded;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Map;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded store keeps a collection's documents in H2's MVStore: as BSON behind a one-byte
 * tag, instead of mongo-java-server's default (H2's {@code ObjectDataType}, which writes a document with
 * Java serialization). Every commit writes each changed page whole, so every document on it is
 * encoded again; Java serialization made that most of the store's CPU.
 *
 * <p>Only files this backend created use it ({@link DurableH2Backend#FORMAT_MAP}); the tag byte
 * guards against reading anything else as BSON.
 */
final class BsonDocumentType extends BasicDataType<Document> {
    static final BsonDocumentType INSTANCE = new BsonDocumentType();
    /** Marks a BSON value; outside the range of H2's own type tags. */
    static final byte BSON = (byte) 0xB5;
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));
    private static final int SCRATCH_KEEP = 1 << 20;

    private BsonDocumentType() {
    }

    @Override
    public void write(WriteBuffer buff, Document doc) {
        ByteBuf bytes = SCRATCH.get();
        bytes.clear();
        BsonEncoder.encodeDocument(doc, bytes);
        buff.put(BSON);
        buff.put(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        if (bytes.capacity() > SCRATCH_KEEP) {
            SCRATCH.remove(); // a huge document: do not keep its buffer for the thread's lifetime
        }
    }

    @Override
    public Document read(ByteBuffer buff) {
        if (buff.get(buff.position()) != BSON) {
            throw new IllegalStateException("not a BSON document value at " + buff.position());
        }
        int start = buff.position() + 1;
        int length = buff.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start);
        ByteBuffer slice = buff.duplicate();
        slice.position(start).limit(start + length);
        buff.position(start + length);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(slice));
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    /** An estimate (MVStore splits pages and sizes its cache by it): about the BSON size. */
    @Override
    public int getMemory(Document doc) {
        return 24 + estimate(doc, 0);
    }

    private static int estimate(Object v, int depth) {
        if (v == null) {
            return 8;
        }
        if (v instanceof CharSequence s) {
            return 16 + s.length();
        }
        if (depth > 8) {
            return 64;
        }
        if (v instanceof Map<?, ?> m) {
            int n = 16;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += 8 + String.valueOf(e.getKey()).length() + estimate(e.getValue(), depth + 1);
            }
            return n;
        }
        if (v instanceof Collection<?> c) {
            int n = 16;
            for (Object o : c) {
                n += 4 + estimate(o, depth + 1);
            }
            return n;
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        return 16;
    }
}
