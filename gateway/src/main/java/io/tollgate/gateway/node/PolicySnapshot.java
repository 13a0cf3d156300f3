package io.tollgate.gateway.node;

import io.tollgate.policy.ioc.IocList;
import io.tollgate.policy.scope.EffectivePolicies;

/** The policies and IOC list a node decides with; replaced as a whole, never edited in place. */
public record PolicySnapshot(EffectivePolicies policies, IocList ioc) {}
