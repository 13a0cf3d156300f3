package io.tollgate.gateway.attribution;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code https-foreign-org}: a write (POST, PUT, PATCH, DELETE) to {@code github.com} or {@code api.github.com} whose
 * path names an owner other than the job's repository owner — a job pushing, opening issues or creating content in
 * someone else's organisation is how stolen data leaves through an allowed host. Paths that name no owner (e.g.
 * {@code /graphql}, {@code /user/repos}) and jobs without a registered repository are not judged.
 */
public final class ForeignOrgRule {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** github.com paths whose first segment is a site area, not an owner. */
    private static final Set<String> SITE_PATHS = Set.of("login", "logout", "session", "sessions", "settings",
            "notifications", "marketplace", "apps", "features", "new", "search", "sponsors", "account", "codespaces",
            "organizations", "users", "orgs", "oauth", "signup", "join", "password_reset", "dashboard", "topics",
            "explore", "pulls", "issues", "watching", "stars", "site", "_graphql", "graphql");

    private ForeignOrgRule() {}

    /** Why the request writes to another owner than {@code repoOwner}; empty when it does not. */
    public static Optional<String> check(String method, String host, String path, String repoOwner) {
        if (method == null || host == null || path == null || repoOwner == null
                || !WRITES.contains(method.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        Optional<String> owner = switch (h) {
            case "api.github.com" -> apiOwner(segments(path));
            case "github.com" -> siteOwner(segments(path));
            default -> Optional.empty();
        };
        return owner.filter(o -> !o.equalsIgnoreCase(repoOwner)).map(o -> method.toUpperCase(Locale.ROOT) + " "
                + h + path(path) + " writes to owner '" + o + "', not the job's owner '" + repoOwner
                + "'; data may be leaving through an allowed host");
    }

    private static Optional<String> apiOwner(String[] s) {
        if (s.length >= 2 && (s[0].equals("repos") || s[0].equals("orgs") || s[0].equals("users"))) {
            return Optional.of(s[1]);
        }
        return Optional.empty();
    }

    private static Optional<String> siteOwner(String[] s) {
        if (s.length >= 2 && !SITE_PATHS.contains(s[0].toLowerCase(Locale.ROOT))) {
            return Optional.of(s[0]);
        }
        return Optional.empty();
    }

    private static String[] segments(String path) {
        String p = path(path);
        return p.replaceAll("^/+", "").split("/+");
    }

    private static String path(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
