package dev.bulwark.eventstore.internal.journal;

import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Finds an event by id, to refuse ids already used and to recognise retried appends, in about 20 bytes per event.
 *
 * <p>An open-addressing table (linear probing) of 32-bit hashes and positions. A matching hash only suggests a
 * position: the caller confirms by reading the event's id from the log, which happens for true duplicates (rare) and
 * for hash collisions (rarer still). The slot index comes from the top bits of the hash, so growing needs no access
 * to the ids. Hashes are never 0, so that an empty slot shows in the dense {@code hashes} array alone: a lookup for
 * a new id, the common case, touches nothing else. Used on
 * the applying side only (see {@link JournalState}).
 */
final class EventIdTable {
    private int[] hashes = new int[1 << 10];
    private long[] positions = new long[1 << 10];
    private int bits = 10;
    private int size;

    void put(UUID id, long position) {
        if (size + 1 > (positions.length >> 1) + (positions.length >> 2)) {
            grow();
        }
        insert(hash(id), position);
        size++;
    }

    /** The position of an event with this id, confirmed by {@code isThatEvent}, or -1. */
    long find(UUID id, LongPredicate isThatEvent) {
        int hash = hash(id);
        int mask = positions.length - 1;
        for (int slot = hash >>> (32 - bits); hashes[slot] != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && isThatEvent.test(positions[slot])) {
                return positions[slot];
            }
        }
        return -1;
    }

    private void insert(int hash, long position) {
        int mask = positions.length - 1;
        int slot = hash >>> (32 - bits);
        while (hashes[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        positions[slot] = position;
    }

    private void grow() {
        if (bits == 30) {
            throw new IllegalStateException("the event id table is full at " + size + " events");
        }
        int[] oldHashes = hashes;
        long[] oldPositions = positions;
        bits++;
        hashes = new int[1 << bits];
        positions = new long[1 << bits];
        for (int i = 0; i < oldPositions.length; i++) {
            if (oldHashes[i] != 0) {
                insert(oldHashes[i], oldPositions[i]);
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
        return "EventIdTable[size=" + size + ", capacity=" + positions.length + "]";
    }
}
