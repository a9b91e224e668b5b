#!/usr/bin/env python3
"""Checks that every code block marked as a snippet in the given Markdown files is the
region of the compiled source it names, so that the README's examples cannot drift.

A marked block in Markdown:

    <!-- snippet: samples/readme.cpp lookups -->
    ```cpp
    ...
    ```

and its region in the source, between two marker lines (Doxygen's @snippet reads the same):

    //! [lookups]
    ...
    //! [lookups]

The region is compared after removing its common indentation. Usage:
check_snippets.py ROOT FILE.md...; exits 1 naming each block that differs, 0 otherwise."""
import pathlib
import re
import sys
import textwrap

MARK = re.compile(r"<!-- snippet: (\S+) (\S+) -->")


def region(source: pathlib.Path, name: str) -> str:
    lines = source.read_text().splitlines()
    marker = f"//! [{name}]"
    where = [i for i, line in enumerate(lines) if line.strip() == marker]
    if len(where) != 2:
        raise ValueError(f"{source}: expected two '{marker}' lines, found {len(where)}")
    return textwrap.dedent("\n".join(lines[where[0] + 1:where[1]])).strip("\n")


def check(root: pathlib.Path, markdown: pathlib.Path) -> list:
    problems = []
    lines = markdown.read_text().splitlines()
    for number, line in enumerate(lines):
        mark = MARK.search(line)
        if not mark:
            continue
        where = f"{markdown.name}:{number + 1}"
        if number + 1 >= len(lines) or not lines[number + 1].startswith("```"):
            problems.append(f"{where}: a snippet mark must be followed by a code block")
            continue
        end = next((i for i in range(number + 2, len(lines)) if lines[i].startswith("```")), None)
        if end is None:
            problems.append(f"{where}: the code block is not closed")
            continue
        block = "\n".join(lines[number + 2:end]).strip("\n")
        try:
            expected = region(root / mark.group(1), mark.group(2))
        except (OSError, ValueError) as error:
            problems.append(f"{where}: {error}")
            continue
        if block != expected:
            problems.append(f"{where}: differs from {mark.group(1)} [{mark.group(2)}]; "
                            f"copy the region into the README:\n{expected}")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    problems = []
    marks = 0
    for name in sys.argv[2:]:
        path = root / name
        marks += len(MARK.findall(path.read_text()))
        problems += check(root, path)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{marks} snippet(s) checked, {len(problems)} problem(s)")
    return 1 if problems or marks == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
