#!/usr/bin/env bash
# Installs everything the test suite needs (Debian packages, Python clients/readers), builds, and runs the whole
# suite. Extra arguments go to `swift test` (e.g. --filter SpoolTests).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(sluice_root)"
apt_install_list scripts/deps/apt-run.txt
apt_install_list scripts/deps/apt-test.txt
pip_install_list scripts/deps/pip-test.txt
swift build --build-tests
# Suites run one after another: many of them start real servers and child processes, and on a 2-core machine
# tests blocking in parallel starve the cooperative pool that crash tests need to time their kills.
# The run's output is kept so that a failure is named again at the end, where a CI log's tail shows it.
log="$(mktemp -t sluice-test.XXXXXX)"
status=0
swift test --skip-build --no-parallel "$@" 2>&1 | tee "$log" || status=$?
if ((status != 0)); then
    echo "sluice: the suite failed (exit $status); what failed:" >&2
    grep -E '✘|recorded an issue|error:|Fatal error|Expectation failed' "$log" | grep -v '^.*✘ Test run with' | head -60 >&2 || true
fi
rm -f "$log"
exit "$status"
