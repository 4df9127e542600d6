#!/bin/sh
# Container entrypoint: `nats` renders the nats-server config from the master key (in the
# data volume), generating the per-role NATS credentials on first start, and runs nats-server; `gateway|engine|worker` run that role. exec, so the
# process gets the container's signals directly (tini is PID 1).
set -eu
role="${1:-gateway}"
case "$role" in
  nats)
    conf="${WARDCLERK_DATA_DIR}/nats/nats-server.conf"
    node /opt/wardclerk/bin/run-ts.js /opt/wardclerk/scripts/supervisor/render-nats-config.ts "$conf" \
      --host 0.0.0.0 --port 4222 --store-dir "${WARDCLERK_DATA_DIR}/nats"
    # Each role container gets only its own NATS credentials: the render step generated them
    # (0600) under the data volume; engine and worker have a small volume each, mounted here.
    for r in engine worker; do
      share="/run/wardclerk/nats-creds/$r"
      if [ -d "$share" ] && [ -w "$share" ]; then install -m 0600 "${WARDCLERK_DATA_DIR}/nats-credentials/$r.json" "$share/$r.json"; fi
    done
    exec nats-server -c "$conf"
    ;;
  gateway|engine|worker)
    exec node /opt/wardclerk/bin/wardclerk.js "$role"
    ;;
  *)
    exec "$@"
    ;;
esac
