#!/bin/sh
# ACTIONS_RUNNER_HOOK_JOB_STARTED: registers this runner's job with the Tollgate gateway, so its DNS and connection
# events carry the job (repo, workflow, job, run). The runner passes the GITHUB_* variables and RUNNER_TEMP; the image
# sets TOLLGATE_GATEWAY (the gateway's runner-facing API URL, e.g. http://10.10.0.1:9901) and TOLLGATE_TOKEN_FILE
# (a registrar token). A failed registration fails the job, so no job runs unattributed.
set -eu
exec "${TOLLGATE:-tollgate}" job start
