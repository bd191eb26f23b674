#!/usr/bin/env bash
# Installs the Debian packages corolint needs for one LLVM major, if any are
# missing. Idempotent: when everything is present it only runs dpkg-query.
#   scripts/setup.sh 19
set -euo pipefail

major="${1:-19}"
case "$major" in
  19|20|21|22) ;;
  *) echo "setup: LLVM $major is not supported (use 19, 20, 21 or 22)" >&2; exit 2 ;;
esac

# The plugin's version guard is tested against the clang-tidy of the other
# supported major, so that one comes too.
other=22
[ "$major" = 22 ] && other=19

packages=(
  "clang-tidy-$other"
  "clang-$major" "clang-tidy-$major" "clangd-$major" "clang-tools-$major"
  "libclang-$major-dev" "llvm-$major-dev" "llvm-$major-tools" "libclang-rt-$major-dev"
  nlohmann-json3-dev libgrpc++-dev libprotobuf-dev libabsl-dev 
  googletest libgtest-dev libgmock-dev libbenchmark-dev libasio-dev
  libsqlite3-dev libpq-dev libpqxx-dev default-libmysqlclient-dev
  libcurl4-openssl-dev libcpp-httplib-dev libssl-dev zlib1g-dev libbz2-dev
  libcrypt-dev libboost1.81-dev
  cmake ninja-build make python3 g++ git
  pre-commit python3-yaml python3-jsonschema
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 2; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
