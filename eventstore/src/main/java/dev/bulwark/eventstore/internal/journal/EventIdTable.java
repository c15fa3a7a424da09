package dev.bulwark.eventstore.internal.journal;

import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Finds an event by id, to refuse ids already used and to recognise retried appends, in about 16 bytes per event.
 *
 * <p>An open-addressing table (linear probing) of entries that pack a 32-bit hash of the id (high half) with the
 * event's position (low half: positions stay below 2^32, since the table holds at most 2^30 entries and positions
 * are dense). A matching hash only suggests a position: the caller confirms by reading the event's id from the
 * log, which happens for true duplicates (rare) and for hash collisions (rarer still). The slot index comes from
 * the top bits of the hash, so growing needs no access to the ids. Hashes are never 0, so an empty slot is a 0
 * entry. One array, not one for hashes and one for positions, because the table is far larger than the caches: a
 * lookup of a new id (the common case) and the insertion that follows touch one cache line, not two. Used on
 * the applying side only (see {@link JournalState}).
 */
final class EventIdTable {
    private long[] entries = new long[1 << 10];
    private int bits = 10;
    private int size;

    void put(UUID id, long position) {
        if (position <= 0 || position > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("position must be in [1, 2^32), was " + position);
        }
        if (size + 1 > (entries.length >> 1) + (entries.length >> 2)) {
            grow();
        }
        insert((long) hash(id) << 32 | position);
        size++;
    }

    /** The position of an event with this id, confirmed by {@code isThatEvent}, or -1. */
    long find(UUID id, LongPredicate isThatEvent) {
        int hash = hash(id);
        int mask = entries.length - 1;
        for (int slot = hash >>> (32 - bits); entries[slot] != 0; slot = (slot + 1) & mask) {
            long entry = entries[slot];
            if ((int) (entry >>> 32) == hash && isThatEvent.test(entry & 0xFFFF_FFFFL)) {
                return entry & 0xFFFF_FFFFL;
            }
        }
        return -1;
    }

    private void insert(long entry) {
        int mask = entries.length - 1;
        int slot = (int) (entry >>> 32) >>> (32 - bits);
        while (entries[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        entries[slot] = entry;
    }

    private void grow() {
        if (bits == 30) {
            throw new IllegalStateException("the event id table is full at " + size + " events");
        }
        long[] old = entries;
        bits++;
        entries = new long[1 << bits];
        for (long entry : old) {
            if (entry != 0) {
                insert(entry);
            }
        }
    }

    private static int hash(UUID id) {
        long h = id.getMostSignificantBits() * 0x9E3779B97F4A7C15L + id.getLeastSignificantBits();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h == 0 ? 1 : (int) h;
    }

    @Override
    public String toString() {
        return "EventIdTable[size=" + size + ", capacity=" + entries.length + "]";
    }
}
