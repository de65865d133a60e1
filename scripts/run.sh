#!/usr/bin/env bash
# Installs what Sluice needs, builds it (release) and runs `sluice serve` on the embedded default
# (SQLite catalog + local disk under ./sluice-data). Extra arguments go to `sluice serve`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(sluice_root)"
apt_install_list scripts/deps/apt-run.txt
swift build -c release --product sluice
exec .build/release/sluice serve "$@"
