package dev.quarry.worker.samples;

/** An entry class that does not implement Function. */
public final class NotAFunction {}
