package io.tollgate.policy.scope;

import io.tollgate.policy.jobs.Job;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What a policy document is attached to, from the whole fleet down to one job of one workflow. A job's effective
 * policy comes from the most specific scope that has a document ({@link #chainFor}). GitHub owners and repository
 * names are case-insensitive, so they are kept in lower case; workflow and job names match exactly.
 */
public sealed interface Scope extends Serializable {

    /** How the scope is written in documents, listings and events, e.g. {@code repo:acme/widgets}. */
    String label();

    /** Every scope a job belongs to, most specific first: job, workflow, repo, org, cluster. */
    static List<Scope> chainFor(Job job) {
        String repo = job.repo();
        String owner = repo.substring(0, repo.indexOf('/'));
        return List.of(new JobName(repo, job.workflow(), job.job()), new Workflow(repo, job.workflow()),
                new Repo(repo), new Org(owner), Cluster.INSTANCE);
    }

    /** Every runner of the fleet. */
    enum Cluster implements Scope {
        INSTANCE;

        @Override
        public String label() {
            return "cluster";
        }
    }

    /** Every repository of a GitHub organization or user. */
    record Org(String owner) implements Scope {
        public Org {
            owner = owner.toLowerCase(Locale.ROOT);
        }

        @Override
        public String label() {
            return "org:" + owner;
        }
    }

    /** One repository, {@code owner/name} (GITHUB_REPOSITORY). */
    record Repo(String repo) implements Scope {
        public Repo {
            repo = repo.toLowerCase(Locale.ROOT);
        }

        @Override
        public String label() {
            return "repo:" + repo;
        }
    }

    /** One workflow of a repository, by the name the runner reports (GITHUB_WORKFLOW). */
    record Workflow(String repo, String workflow) implements Scope {
        public Workflow {
            repo = repo.toLowerCase(Locale.ROOT);
        }

        @Override
        public String label() {
            return "workflow:" + repo + ":" + workflow;
        }
    }

    /** One job of a workflow (GITHUB_JOB). */
    record JobName(String repo, String workflow, String job) implements Scope {
        public JobName {
            repo = repo.toLowerCase(Locale.ROOT);
        }

        @Override
        public String label() {
            return "job:" + repo + ":" + workflow + ":" + job;
        }
    }
}
