# Shared by the set-up scripts: idempotent installs of what a list file names.
set -euo pipefail

sluice_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# apt_install_list FILE: installs the Debian packages named in FILE that are missing (one apt-get update at most).
apt_install_list() {
    local missing=()
    while read -r pkg; do
        [[ -z "$pkg" || "$pkg" == \#* ]] && continue
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done < "$1"
    if ((${#missing[@]})); then
        echo "sluice: installing Debian packages: ${missing[*]}" >&2
        local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
        $sudo apt-get update -qq
        # No service starts from a package install here: tests start their own servers on free ports.
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# pip_install_list FILE: installs the Python packages named in FILE (pip skips what is already satisfied).
pip_install_list() {
    if ! python3 -m pip install -q --disable-pip-version-check -r "$1" >/tmp/sluice-pip.log 2>&1; then
        cat /tmp/sluice-pip.log >&2
        return 1
    fi
}
