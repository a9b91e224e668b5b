#!/usr/bin/env python3
"""Proves that the build rejects an upward include between lib/'s layers.

For each layer, with exactly the include folders lib/meson.build gives it:
  - each of its own headers preprocesses (the probe is not failing for another reason);
  - each header of a layer it may not use is not found.
And no source in lib/ reaches around the rule with a path ("../cache/cache.hpp").

Usage: layers_check.py LIB_DIR PUBLIC_INC... -- LAYER=FOLDER,FOLDER... -- CXX...
(layers lowest first). Preprocessing only: it costs well under a second.
"""
import os
import re
import subprocess
import sys
import tempfile


def split_args(argv):
    first = argv.index("--")
    second = argv.index("--", first + 1)
    return argv[:first], argv[first + 1:second], argv[second + 1:]


def headers(lib_dir, folder):
    path = os.path.join(lib_dir, folder)
    return sorted(f for f in os.listdir(path) if f.endswith(".hpp"))


def preprocess(cxx, flags, header, workdir):
    probe = os.path.join(workdir, "probe.cpp")
    with open(probe, "w") as out:
        out.write(f'#include "{header}"\n')
    return subprocess.run(cxx + ["-std=c++17", "-E", "-o", os.devnull] + flags + [probe],
                          capture_output=True, text=True)


def main():
    paths, layer_specs, cxx = split_args(sys.argv[1:])
    lib_dir, public_incs = paths[0], paths[1:]
    layers = []
    for spec in layer_specs:
        name, folders = spec.split("=")
        layers.append((name, folders.split(",")))
    all_folders = [name for name, _ in layers]
    failures = []
    checked = 0

    include_path = re.compile(r'^\s*#\s*include\s+"([^"]*/[^"]*)"', re.M)
    for folder in all_folders:
        for name in os.listdir(os.path.join(lib_dir, folder)):
            with open(os.path.join(lib_dir, folder, name)) as source:
                for match in include_path.finditer(source.read()):
                    failures.append(f"lib/{folder}/{name} includes by path: {match.group(1)}")

    with tempfile.TemporaryDirectory() as workdir:
        for name, folders in layers:
            flags = [f"-I{os.path.join(lib_dir, f)}" for f in folders]
            flags += [f"-I{inc}" for inc in public_incs]
            for header in headers(lib_dir, name):
                checked += 1
                result = preprocess(cxx, flags, header, workdir)
                if result.returncode != 0:
                    failures.append(f"{name}: its own {header} does not preprocess with its "
                                    f"include folders:\n{result.stderr}")
            for other in all_folders:
                if other in folders:
                    continue
                for header in headers(lib_dir, other):
                    checked += 1
                    result = preprocess(cxx, flags, header, workdir)
                    if result.returncode == 0:
                        failures.append(f"{name} can include {other}/{header}")
                    elif header not in result.stderr:
                        failures.append(f"{name} including {other}/{header} failed for another "
                                        f"reason:\n{result.stderr}")
    for failure in failures:
        print(failure)
    print(f"{checked} probes, {len(failures)} failures")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
