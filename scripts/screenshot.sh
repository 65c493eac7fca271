#!/usr/bin/env bash
# Makes docs/tui.png: a picture of the real TUI in a real terminal (tmux), with a diff on
# screen. The built CLI listens on a free port, real signed webhooks are sent to it with
# `coreone-inspect send`, the screen is captured with its colours (capture-pane -e), turned
# into HTML by aha and photographed by headless Chromium.
# Needs tmux, aha and chromium (Debian: apt-get install tmux aha chromium). Only for the
# README picture: no test or CI step runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=docs/tui.png
cols=120
rows=34

for tool in node tmux aha chromium; do
  command -v "$tool" >/dev/null 2>&1 || { echo "screenshot: $tool is not installed (apt-get install tmux aha chromium)." >&2; exit 2; }
done
npm run build --silent

work=$(mktemp -d)
sock="$work/tmux.sock"
cleanup() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cli() { node "$root/dist/cli/index.js" "$@"; }
screen() { tmux -S "$sock" capture-pane -p -t ui "$@"; }
# Polls the screen for an extended regular expression, for at most 20 seconds.
wait_for() {
  local deadline=$((SECONDS + 20))
  until screen | grep -qE "$1"; do
    if ((SECONDS >= deadline)); then
      echo "screenshot: timed out waiting for /$1/ on screen:" >&2
      screen >&2
      exit 1
    fi
    sleep 0.1
  done
}

# A demo secret, not a real one: the picture shows only its length and fingerprint.
secret='demo-secret-for-the-picture'
env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color \
  tmux -S "$sock" -f /dev/null new-session -d -s ui -x "$cols" -y "$rows" -c "$work" \
  "node '$root/dist/cli/index.js' --no-tunnel --port 0 --secret '$secret' --log '$work/events.ndjson'"
wait_for 'webhook http://127\.0\.0\.1:[0-9]+/.*'
url=$(screen | grep -oE 'http://127\.0\.0\.1:[0-9]+/' | head -1)

# A morning's traffic: valid events, a secret with a trailing space on the sending side,
# an unsigned one, then the same accession twice, Pending and then Received.
for type in client/update comment/create invoice/create leaf/match; do
  cli send "$type" --to "$url" --secret "$secret" >/dev/null
done
cli send payment/create --to "$url" --secret "$secret " >/dev/null
cli send attachment/process --to "$url" --unsigned >/dev/null
printf '%s' '{"accession":{"id":48213,"number":"A24-0613","status":"Pending","client":"Riverside Vet Clinic","species":"Canine"},"changed_by":"reception","changed_at":"2024-06-13T08:41:07Z"}' >"$work/pending.json"
printf '%s' '{"accession":{"id":48213,"number":"A24-0613","status":"Received","client":"Riverside Vet Clinic","species":"Canine"},"changed_by":"lab.tech","changed_at":"2024-06-13T09:02:55Z"}' >"$work/received.json"
cli send accession/status_change --to "$url" --secret "$secret" --data "$work/pending.json" >/dev/null
cli send accession/status_change --to "$url" --secret "$secret" --data "$work/received.json" >/dev/null
wait_for 'Events 8'

# Follow mode has the last event selected: its Diff tab against the Pending one.
tmux -S "$sock" send-keys -t ui 3
wait_for 'accession\.status: "Pending" -> "Received"'

# Two adjustments for aha, which reads SGR parameters strictly in order: adjacent
# sequences are merged and inverse (7) moved last, so it swaps the final colours (tmux
# writes `0;1;7` then the colour); dim (2, which aha lacks) becomes grey, as terminals draw it.
screen -e | perl -pe '
  1 while s/\e\[([0-9;]*)m\e\[([0-9;]*)m/\e[$1;$2m/;
  s{\e\[([0-9;]*)m}{
    my @in = split /;/, $1; my (@out, $inverse);
    while (@in) {
      my $p = shift @in;
      if ($p eq "38" || $p eq "48") { push @out, $p, splice(@in, 0, $in[0] eq "5" ? 2 : 4) }
      elsif ($p eq "7") { $inverse = 1 }
      elsif ($p eq "2") { push @out, "90" }
      elsif ($p eq "22") { push @out, "39" }
      else { push @out, $p }
    }
    push @out, "7" if $inverse;
    "\e[" . join(";", @out) . "m"
  }ge' >"$work/screen.ans"
{
  echo '<!doctype html><meta charset="utf-8"><style>'
  echo 'body{margin:0;background:#000}pre{margin:0;padding:14px 16px;color:#e0e0e0;font:15px/19px "DejaVu Sans Mono",monospace}'
  echo '</style><pre>'
  aha --black --no-header <"$work/screen.ans"
  echo '</pre>'
} >"$work/screen.html"

# Cell size of DejaVu Sans Mono at 15px: 9.03 x 19 px.
width=$((cols * 903 / 100 + 32))
height=$((rows * 19 + 28))
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/chromium" \
  --screenshot="$root/$out" --window-size="$width,$height" "file://$work/screen.html" >/dev/null 2>&1
echo "screenshot: wrote $out (${width}x${height})"
