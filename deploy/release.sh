#!/bin/sh
# Builds the release binaries of papers into dist/: Linux, Windows and
# macOS, each for amd64 and arm64, static (no C library needed), and
# reproducible: the same commit and Go version give the same bytes on any
# machine (-trimpath drops the build's paths, -buildid= the build ID; Go
# records no build time). papers version shows the module version, taken
# from the git tag the release is built from, and the commit: -buildvcs=true
# asks for them even where GOFLAGS turns them off. A file the tag does not
# have (dist/ is ignored) marks the version +dirty.
#
#   git checkout v1.2.0 && deploy/release.sh
#   TARGETS=linux/amd64 DIST=/tmp/out deploy/release.sh   (one platform, elsewhere)
set -eu
cd "$(dirname "$0")/.."
out=${DIST:-dist}
mkdir -p "$out"
for target in ${TARGETS:-linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64}; do
	os=${target%/*}
	arch=${target#*/}
	name="papers-$os-$arch"
	[ "$os" = windows ] && name="$name.exe"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=true -ldflags="-s -w -buildid=" -o "$out/$name" ./cmd/papers
	echo "$out/$name"
done
(cd "$out" && sha256sum papers-* >SHA256SUMS)
echo "$out/SHA256SUMS"
