#!/bin/sh
# Installs the Debian packages named as arguments that are missing.
# Used by `make run`, `make check` and `make bench`; does nothing when
# everything is there, and says what to install when it cannot.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "esock: please install:$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "esock: no apt-get here; please install:$missing" >&2
	exit 1
fi
echo "esock: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq >&2 &&
	$as_root apt-get install -y -qq --no-install-recommends $missing >&2
