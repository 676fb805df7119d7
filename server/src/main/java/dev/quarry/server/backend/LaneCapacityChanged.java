package dev.quarry.server.backend;

/**
 * Published (as a Spring event) when a lane's capacity changed on its own, e.g. a pull worker
 * connected or left: the dispatcher looks at the jobs it parked for that budget again at once.
 *
 * @param budget the lane's {@link OpenedLane#budget()}
 */
public record LaneCapacityChanged(String budget) {}
