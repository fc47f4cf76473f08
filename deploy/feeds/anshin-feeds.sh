#!/bin/sh
# Download each list named in a feeds.conf and import it: `anshin-feeds.sh [CONF]`.
# Run by anshin-feeds.timer (systemd) or cron, as the bot's user, with the bot's settings
# (ANSHIN_DB). Nothing is fetched for a line that is commented out. A list that fails to
# download keeps what was imported before; the others still run. Exit 1 when any failed.
set -u
CONF="${1:-/etc/anshin/feeds.conf}"
ANSHIN="${ANSHIN:-/opt/anshin/.venv/bin/anshin}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failed=0
[ -r "$CONF" ] || { echo "anshin-feeds: cannot read $CONF" >&2; exit 1; }
while read -r name url mode _; do
    case "$name" in ''|'#'*) continue ;; esac
    file="$WORK/$name.list"
    if ! curl --fail --silent --show-error --location --proto '=https' --max-time 120 \
            --max-filesize 104857600 --output "$file" "$url"; then
        echo "anshin-feeds: could not download $name from $url; keeping its old entries" >&2
        failed=1
        continue
    fi
    if [ "$mode" = "replace" ]; then
        "$ANSHIN" feeds import "$file" --source "$name" --replace || failed=1
    else
        "$ANSHIN" feeds import "$file" --source "$name" || failed=1
    fi
done < "$CONF"
exit "$failed"
