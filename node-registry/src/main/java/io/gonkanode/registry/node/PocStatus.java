package io.gonkanode.registry.node;

/** What a node does for PoC, as upstream names it, stored by name. */
public enum PocStatus { IDLE, GENERATING, VALIDATING }
