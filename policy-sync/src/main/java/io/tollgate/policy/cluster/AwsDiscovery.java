package io.tollgate.policy.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peers found through the EC2 API (Hazelcast's built-in AWS discovery) instead of a fixed member list: the instances
 * in {@code region} that carry {@code tagKey=tagValue} and/or sit in {@code securityGroupName}, reached on their
 * private addresses at the cluster port. Credentials come from the instance's role ({@code iamRole}, or the one
 * attached to the instance when null); keys are never configured.
 */
public record AwsDiscovery(String region, String tagKey, String tagValue, String securityGroupName, String iamRole) {
    /** Hazelcast's AWS discovery properties for a member listening on {@code port}. */
    Map<String, String> properties(int port) {
        Map<String, String> properties = new LinkedHashMap<>();
        put(properties, "region", region);
        put(properties, "tag-key", tagKey);
        put(properties, "tag-value", tagValue);
        put(properties, "security-group-name", securityGroupName);
        put(properties, "iam-role", iamRole);
        properties.put("hz-port", Integer.toString(port));
        return properties;
    }

    private static void put(Map<String, String> properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
