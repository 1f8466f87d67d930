package io.herald.controller;

/**
 * One voter of the metadata quorum: its node id, the controller listener brokers reach it on, and the port its Raft
 * traffic uses (Ratis speaks its own protocol, so it has a port of its own beside the controller listener).
 */
public record QuorumPeer(int id, String host, int controllerPort, int raftPort) {}
