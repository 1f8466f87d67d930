package io.herald.coordinator;

/** What every group kind (classic, consumer) shows to listing, deletion and offset expiry. */
interface Group {
    String groupId();

    /** "classic" or "consumer", as ListGroups v5 reports it. */
    String type();

    String stateName();

    boolean isEmpty();

    /** When the group last changed state; for an empty group, since when it has been empty. */
    long emptySinceMs();

    String protocolType();
}
