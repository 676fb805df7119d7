/**
 * The replicas of one Quarry service: which are alive (from their heartbeat rows) and this
 * replica's share of the cluster-wide quotas.
 */
@NullMarked
package dev.quarry.server.cluster;

import org.jspecify.annotations.NullMarked;
