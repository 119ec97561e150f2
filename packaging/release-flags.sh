# Sourced by packaging/build-deb.sh and packaging/waybill-order.sh: how the shipped `waybill` is built.
#
# --static-swift-stdlib: the target needs only Debian's own libraries.
# -function-sections (Swift and C, every package): each function in a section of its own, so the
# release link can place the functions an agent runs together (packaging/waybill.order, see
# Package.swift). Without it a source file's functions move as one block, and the kernel, which maps
# code 64 KB around each page touched, keeps most of the binary resident (measured on the idle agent:
# resident code 9.7 MB -> 7.7 MB).
# shellcheck disable=SC2034 # used by the scripts that source this file
RELEASE_FLAGS=(
    -c release --static-swift-stdlib
    -Xswiftc -Xfrontend -Xswiftc -function-sections
    -Xcc -ffunction-sections -Xcc -fdata-sections
)
