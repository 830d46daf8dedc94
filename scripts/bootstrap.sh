# shellcheck shell=bash
# Sourced by scripts/run and scripts/test: prepare .venv with the pinned dependencies of
# pyproject.toml. Needs only python3 (3.11 to 3.13; python3.11 is preferred when on PATH).
# Installs again only when pyproject.toml changed since the last install (sha256 stamp in .venv).
# Leaves the caller in the project root.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || return 1

_cp_python_ok() {
    "$1" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)' \
        >/dev/null 2>&1
}

_cp_bootstrap() {
    local py="" candidate
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && _cp_python_ok "$candidate"; then
            py=$candidate
            break
        fi
    done

    # Keep a working .venv; replace one whose interpreter is gone or too old.
    if [ -e .venv ] && ! _cp_python_ok .venv/bin/python; then
        if [ -z "$py" ]; then
            echo "bootstrap: .venv is unusable and no python3 (3.11-3.13) is on PATH" >&2
            return 1
        fi
        echo "bootstrap: .venv is unusable: creating it again" >&2
        rm -rf .venv
    fi
    if [ ! -e .venv ]; then
        if [ -z "$py" ]; then
            echo "bootstrap: Python 3.11 to 3.13 is needed (python3.11 or python3 on PATH)" >&2
            return 1
        fi
        echo "bootstrap: creating .venv with $($py --version 2>&1)"
        "$py" -m venv .venv || return 1
    fi

    local want have stamp=.venv/.credit-portal-pyproject.sha256
    want=$(.venv/bin/python -c \
        'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())') \
        || return 1
    have=$(cat "$stamp" 2>/dev/null || true)
    if [ "$want" != "$have" ]; then
        echo "bootstrap: installing dependencies from pyproject.toml into .venv (first time: minutes)"
        # The project installs no package of its own ([tool.setuptools] packages = []), so its
        # pinned dependencies and the dev extra are installed directly: no build step.
        .venv/bin/python - >.venv/requirements.txt <<'PY' || return 1
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["dev"]))
PY
        # -qq: errors only (this machine's pip.conf names local indexes that may not exist).
        PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/python -m pip install -qq --upgrade pip || return 1
        PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/python -m pip install -qq -r .venv/requirements.txt || return 1
        echo "$want" >"$stamp"
    fi
}

# Two commands starting at once (run and test) must not install into .venv together.
_cp_status=0
if command -v flock >/dev/null 2>&1 && mkdir -p var; then
    exec 9>var/.bootstrap.lock
    flock 9
    _cp_bootstrap || _cp_status=$?
    exec 9>&-
else
    _cp_bootstrap || _cp_status=$?
fi
unset -f _cp_bootstrap _cp_python_ok
if [ "$_cp_status" -ne 0 ]; then
    unset _cp_status
    echo "bootstrap: failed (see the messages above)" >&2
    return 1 2>/dev/null || exit 1
fi
unset _cp_status
