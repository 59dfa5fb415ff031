#!/usr/bin/env bash
# `npm run setup` (after `npm ci`): everything `npm start` and `npm test` need, on Debian or Ubuntu.
# Installs what is missing (docker.io, runsc, debootstrap; tmux for the tests), registers gVisor's
# runsc with Docker, starts dockerd when none answers, builds the sandbox images, and runs doctor on
# runc and on runsc.
# Quick and harmless when all of it is in place. Run as root; as another user it does what it can
# without root and says what needs it.
#
#   scripts/setup.sh           set up
#   scripts/setup.sh --check   change nothing: say what setup would do, then run doctor
set -euo pipefail
cd "$(dirname "$0")/.."

DAEMON_JSON=/etc/docker/daemon.json
DOCKERD_LOG=/var/log/sandpiper-dockerd.log
DOCKERD_WAIT_S=60

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }
# dockerd and debootstrap live in /usr/sbin, which a normal user's PATH often leaves out.
have() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null; }
engine_answers() { docker info >/dev/null 2>&1; }
runtimes() { docker info --format '{{range $name, $_ := .Runtimes}} {{$name}}{{end}}' 2>/dev/null | cut -c2-; }
# Wait up to $1 seconds for "$2 …" to succeed.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}
# dockerd lists runsc with every flag sandboxes need (sandbox/runsc.ts): a registration that
# dockerd hasn't reloaded yet lacks them.
runsc_loaded() {
  local flag args
  [[ " $(runtimes) " == *" runsc "* ]] || return 1
  args=" $(docker info --format '{{range (index .Runtimes "runsc").Args}}{{.}} {{end}}' 2>/dev/null)"
  for flag in $runsc_flags; do [[ $args == *" $flag "* ]] || return 1; done
}

check=false
case "${1:-}" in
  '') ;;
  --check) check=true ;;
  *) printf 'usage: scripts/setup.sh [--check]\n' >&2; exit 2 ;;
esac
[[ -f dist/src/cli/main.js && -f dist/scripts/daemon-json.js ]] || die 'run `npm ci` first: it installs the dependencies and builds the CLI'
runsc_flags=$(node dist/scripts/daemon-json.js --flags)
act=false # whether this run changes the system: as root, and not --check
[[ $EUID -eq 0 ]] && ! $check && act=true
needs=() # what it leaves to root

# 1. Packages: only the missing ones.
missing=()
have docker && have dockerd || missing+=(docker.io)
have runsc || missing+=(runsc)
have debootstrap || missing+=(debootstrap)
have tmux || missing+=(tmux) # `npm test` drives the terminal chat in a real terminal
if ((${#missing[@]} == 0)); then
  say 'docker.io, runsc, debootstrap and tmux are installed'
elif $act; then
  command -v apt-get >/dev/null || die "install ${missing[*]} with this system's package manager (setup knows apt-get only)"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  needs+=("install ${missing[*]} (apt-get)")
fi

# 2. gVisor registered with Docker, merged into any existing daemon.json.
runsc_path=$(PATH="$PATH:/usr/sbin:/sbin" command -v runsc || echo /usr/bin/runsc)
if $act; then
  registered=$(node dist/scripts/daemon-json.js "$DAEMON_JSON" "$runsc_path")
  [[ $registered == changed ]] && say "registered runsc ($runsc_path) in $DAEMON_JSON" || say "runsc is registered in $DAEMON_JSON"
else
  registered=$(node dist/scripts/daemon-json.js "$DAEMON_JSON" "$runsc_path" --check)
  [[ $registered == changed ]] && needs+=("register runsc in $DAEMON_JSON") || say "runsc is registered in $DAEMON_JSON"
fi

# 3. A Docker engine that answers and lists runsc: started when none runs, reloaded (HUP) when it
#    doesn't list runsc (with its flags) yet.
if engine_error=$(docker info 2>&1 >/dev/null); then
  if [[ $registered == changed ]] || ! runsc_loaded; then
    if $act; then
      pids=$(pidof dockerd) || die "Docker answers, but not from this machine (DOCKER_HOST=${DOCKER_HOST:-}): register runsc on the engine's own host"
      say 'reloading dockerd to pick up runsc'
      kill -HUP $pids
      wait_for 30 runsc_loaded || die 'dockerd did not pick up runsc after a reload: restart it (e.g. `systemctl restart docker`)'
    else
      needs+=('reload dockerd (kill -HUP), so that it picks up runsc')
    fi
  fi
elif [[ ${engine_error,,} == *'permission denied'* ]]; then
  user=$(id -un)
  needs+=("Docker refuses $user (permission denied on its socket): \`sudo usermod -aG docker $user\`, then log in again")
elif $act; then
  if [[ -d /run/systemd/system ]]; then
    say 'starting dockerd (systemctl start docker)'
    systemctl start docker
  elif pidof dockerd >/dev/null; then
    say 'waiting for the running dockerd to answer'
  else
    say "starting dockerd in the background (log: $DOCKERD_LOG)"
    # Its own session: a Ctrl-C meant for setup must not stop the engine.
    setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  wait_for "$DOCKERD_WAIT_S" engine_answers || die "dockerd did not answer within $DOCKERD_WAIT_S s: see $DOCKERD_LOG or \`journalctl -u docker\`"
else
  needs+=('start dockerd')
fi
if ((${#needs[@]})); then
  $check && label='to do' || label='needs root'
  for need in "${needs[@]}"; do say "$label: $need"; done
  die 'not set up: run `sudo npm run setup`'
fi
runsc_loaded || die "dockerd does not list runsc although $DAEMON_JSON registers it: restart dockerd"
say "$(docker version --format 'Docker {{.Server.Version}}') answers, with runtimes: $(runtimes)"

# 4. The sandbox images (skipped when this recipe's are built), then a health check per runtime.
if $check; then
  say 'sandbox image: left to doctor to check (--check builds nothing)'
else
  # One image per Python offered (SANDBOX_PYTHONS): built once, skipped when present.
  images=$(node bin/sandpiper.js image build) || die 'the sandbox images did not build (see above)'
  while IFS= read -r line; do say "sandbox image: $line"; done <<<"$images"
fi
for runtime in runc runsc; do
  if report=$(SANDBOX_RUNTIME=$runtime node bin/sandpiper.js doctor 2>&1); then
    say "doctor, $runtime: ${report##*$'\n'}"
  else
    printf '%s\n' "$report" >&2
    die "doctor found problems with $runtime (above)"
  fi
done
