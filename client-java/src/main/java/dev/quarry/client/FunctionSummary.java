package dev.quarry.client;

import java.time.Instant;

/**
 * A function registered on the server.
 *
 * @param id the function id
 * @param name its name ({@code anonymous:<id>} for serialized functions)
 * @param kind {@code BUILTIN}, {@code JAR_ENTRY} or {@code SERIALIZED}
 * @param entryClass the entry class of a jar function, else empty
 * @param codec {@code JSON} or {@code JAVA}
 * @param createdAt when it was registered
 */
public record FunctionSummary(
    String id, String name, String kind, String entryClass, String codec, Instant createdAt) {}
