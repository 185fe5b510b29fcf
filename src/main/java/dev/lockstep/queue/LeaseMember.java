package dev.lockstep.queue;

/**
 * A lease as the leases zset holds it: {@code <orderId>|<token>|<holder>|<since>}, built by the
 * {@code leaseMember} Lua include and read back only here. The holder keeps the member whole, so one
 * ZSCORE tells whether the lease is still theirs under the same token.
 *
 * @param orderId the order whose lane is held
 * @param token   the fencing token from the partition's sequence; the store refuses writes below the
 *                order's newest
 * @param holder  worker id and thread ({@code host:pid/thread}; never contains '|')
 * @param since   Redis time (epoch ms) the lease was taken
 */
public record LeaseMember(long orderId, long token, String holder, long since) {

    public static LeaseMember parse(String member) {
        int a = member.indexOf('|');
        int b = member.indexOf('|', a + 1);
        int c = member.lastIndexOf('|');
        if (a < 0 || b < 0 || c <= b) {
            throw new IllegalArgumentException("not a lease member: '" + member + "'");
        }
        return new LeaseMember(Long.parseLong(member.substring(0, a)), Long.parseLong(member.substring(a + 1, b)),
                member.substring(b + 1, c), Long.parseLong(member.substring(c + 1)));
    }
}
