package io.tollgate.gateway.node;

import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.ioc.IocList;

/** The compiled policies and IOC list a node decides with; replaced as a whole, never edited in place. */
public record PolicySnapshot(PolicyTable policies, IocList ioc) {}
