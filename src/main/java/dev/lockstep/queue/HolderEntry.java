package dev.lockstep.queue;

/**
 * The value of a leased lane in the holders hash ({@code <q>:{p}:holders}, order id -> entry),
 * {@code "token|holder|since|jobId"}. Written only by the Lua include {@code holderEntry} (claim and
 * complete's continue); read back only through {@link #parse}.
 *
 * @param token  the lease's fencing token (the order's fence when it was taken)
 * @param holder who holds it: worker id and thread, {@code host:pid/thread}
 * @param since  epoch millis (Redis server time) the lease was taken
 * @param jobId  the lane's head job the lease was taken for
 */
public record HolderEntry(long token, String holder, long since, String jobId) {

    /**
     * Reads an entry: the token is its first field, since and job id its last two, so a holder name
     * containing {@code |} still reads back whole.
     *
     * @throws IllegalArgumentException when {@code entry} is not {@code token|holder|since|jobId}
     */
    public static HolderEntry parse(String entry) {
        int a = entry.indexOf('|');
        int c = entry.lastIndexOf('|');
        int b = c < 0 ? -1 : entry.lastIndexOf('|', c - 1);
        if (a < 0 || b <= a) {
            throw new IllegalArgumentException("not a holder entry (token|holder|since|jobId): " + entry);
        }
        try {
            return new HolderEntry(Long.parseLong(entry.substring(0, a)), entry.substring(a + 1, b),
                    Long.parseLong(entry.substring(b + 1, c)), entry.substring(c + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a holder entry (token|holder|since|jobId): " + entry, e);
        }
    }
}
