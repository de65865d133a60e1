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
swift test --skip-build --no-parallel "$@"
