package io.jobway.local.template;

import java.util.Optional;

/** Finds the physical resource created for a logical id, so {@link Intrinsics} can resolve Ref and GetAtt. */
@FunctionalInterface
public interface ResourceLookup {
    Optional<PhysicalResource> find(String logicalId);

    static ResourceLookup none() {
        return logicalId -> Optional.empty();
    }
}
