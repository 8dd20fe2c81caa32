#!/usr/bin/env bash
# browser-check.sh: open reesim briefing pages in headless Chromium and
# check that each one loads and that every image on it decoded; on a
# run's briefing page (report.html) or an exploration's page (reesim
# explore), also that the first screen (1280 x
# 900) shows the message sentences and the first key chart, and that no
# internal draw (an input named *_draw) appears in the page.
#
# usage: scripts/browser-check.sh [--screenshot OUT.png] PAGE.html...
#
# Installs Debian's chromium when it is missing (needs root and apt-get).
# The pages (report.html, index.html) carry a small script that sets
# data-images-ok="true" on <body> once every <img> has decoded; the check
# dumps the DOM after load and looks for it. The browser runs with a fresh
# profile and no network features, so a page that needed the network would
# fail here as it would for a reader offline.
#
# Exit status: 0 when every page passes, 1 when one fails, 2 on bad usage.
set -euo pipefail

usage() { echo "usage: $0 [--screenshot OUT.png] PAGE.html..." >&2; exit 2; }

shot=""
pages=()
while [ $# -gt 0 ]; do
	case "$1" in
	--screenshot) [ $# -ge 2 ] || usage; shot="$2"; shift 2 ;;
	-h|--help) usage ;;
	*) pages+=("$1"); shift ;;
	esac
done
[ ${#pages[@]} -gt 0 ] || usage

if ! command -v chromium >/dev/null 2>&1; then
	echo "browser-check: installing chromium" >&2
	apt-get update >/dev/null && apt-get install -y chromium >/dev/null
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile"
	--virtual-time-budget=15000)

fail=0
for page in "${pages[@]}"; do
	if [ ! -f "$page" ]; then
		echo "FAIL $page: no such file" >&2
		fail=1
		continue
	fi
	url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
	if ! dom=$(timeout 180 chromium "${flags[@]}" --window-size=1280,900 --dump-dom "$url" 2>"$profile/stderr.log"); then
		echo "FAIL $page: chromium did not load it" >&2
		tail -n 20 "$profile/stderr.log" >&2
		fail=1
		continue
	fi
	# Here-strings, not pipes: grep -q exits early, which pipefail would
	# count as a failure of the writer.
	n=$(grep -o 'data-images="[0-9]*"' <<<"$dom" | head -n 1 | tr -dc '0-9' || true)
	if grep -q 'data-images-ok="true"' <<<"$dom"; then
		echo "ok   $page: loaded, ${n:-?} images decoded"
	elif grep -q 'data-images-ok="false"' <<<"$dom"; then
		echo "FAIL $page: loaded, but an image did not decode (or the page has none; ${n:-0} images)" >&2
		fail=1
	else
		echo "FAIL $page: the page's check script did not run (not a reesim page, or it did not finish loading)" >&2
		fail=1
	fi
	# A run's briefing page: the message and a key chart on the first
	# screen, and no internal draws. (Images are inlined as base64, whose
	# alphabet has no underscore, so "_draw" can only be page text.)
	if grep -q 'id="message"' <<<"$dom"; then
		if grep -q 'data-first-screen="message-and-chart"' <<<"$dom"; then
			echo "ok   $page: the first screen shows the message and a key chart"
		else
			echo "FAIL $page: the message and the first key chart are not both on the first screen (1280 x 900)" >&2
			fail=1
		fi
		if grep -q -e '_draw' -e 'draw (low means' -e 'draw (high means' <<<"$dom"; then
			echo "FAIL $page: the page shows internal draws: $(grep -o '[a-z0-9._-]*_draw' <<<"$dom" | sort -u | head -n 3 | tr '\n' ' ')" >&2
			fail=1
		else
			echo "ok   $page: no internal draws shown"
		fi
	fi
	if [ -n "$shot" ]; then
		out="$shot"
		if [ ${#pages[@]} -gt 1 ]; then
			out="${shot%.png}-$(basename "$(dirname "$page")")-$(basename "${page%.html}").png"
		fi
		timeout 180 chromium "${flags[@]}" --window-size=1280,900 --screenshot="$out" "$url" 2>>"$profile/stderr.log" >/dev/null || {
			echo "FAIL $page: screenshot failed" >&2
			fail=1
		}
		[ -s "$out" ] && echo "     screenshot: $out"
	fi
done
exit $fail
