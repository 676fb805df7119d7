/**
 * The Kubernetes backend's pod scaler: {@link dev.quarry.backend.kubernetes.KubernetesPools#open}
 * runs a pool of pull-worker pods as a Kubernetes Job in work-queue mode (ADR 0023).
 */
@NullMarked
package dev.quarry.backend.kubernetes;

import org.jspecify.annotations.NullMarked;
