package dev.quarry.server.backend;

/**
 * What a serverless backend charges, for cost estimates (never a bill): compute by the GB-second
 * (memory size times billed duration) plus a price per request.
 *
 * @param currency ISO 4217 code, e.g. {@code USD}
 * @param perGbSecond price of one GB-second
 * @param perMillionRequests price of one million invocations
 */
public record Pricing(String currency, double perGbSecond, double perMillionRequests) {}
