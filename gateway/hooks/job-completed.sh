#!/bin/sh
# ACTIONS_RUNNER_HOOK_JOB_COMPLETED: finishes the job job-started.sh registered (with the secret it kept in
# $RUNNER_TEMP/tollgate-job.json), so the runner's address is free for its next job.
set -eu
exec "${TOLLGATE:-tollgate}" job finish
