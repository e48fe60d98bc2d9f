#!/bin/sh
# Install the built library into a scratch prefix, then build an outside
# program against it twice: through find_package(mlcore) and through
# pkg-config. Usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
work=$(mktemp -d /tmp/mlcore-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

# 1. CMake package.
cmake -S "$src/tests/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
LD_LIBRARY_PATH=$prefix/lib "$work/cmake-build/consumer"

# 2. pkg-config.
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -1)
export PKG_CONFIG_PATH=$libdir
cc -std=c11 -Wall -Werror "$src/tests/consumer/main.c" -o "$work/pc-consumer" \
    $(pkg-config --cflags --libs mlcore) -Wl,-rpath,"$(pkg-config --variable=libdir mlcore)"
"$work/pc-consumer"
# Static linking through pkg-config --static.
cc -std=c11 -Wall -Werror "$src/tests/consumer/main.c" -o "$work/pc-static" \
    $(pkg-config --cflags mlcore) "$(pkg-config --variable=libdir mlcore)/libmlcore.a" \
    $(pkg-config --libs --static mlcore | sed 's/-lmlcore//') -fopenmp
"$work/pc-static"

# 3. The build tree, uninstalled, as the README says: the README's own C
# example, with the two include folders and an rpath, then through the
# build tree's mlcore.pc.
sed -n '/^## Using the library from C/,/^```$/p' "$src/README.md" | sed '1,/^```c$/d;$d' \
    > "$work/readme_example.c"
grep -q mlc_estimator_new "$work/readme_example.c"
(cd "$work" && cc -std=c11 -Wall -Werror readme_example.c -I"$src/include" -I"$build/include" \
    -L"$build" -Wl,-rpath,"$build" -lmlcore -o readme-example && ./readme-example)
(cd "$work" && cc -std=c11 -Wall -Werror readme_example.c \
    $(PKG_CONFIG_PATH=$build pkg-config --cflags --libs mlcore) -o readme-example-pc &&
    env -u LD_LIBRARY_PATH ./readme-example-pc)
