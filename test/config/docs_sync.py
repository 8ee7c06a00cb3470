"""Keep docs/board-config.md, Kconfig and the code in step.

Used by test/config/run_tests.py. Each function returns a list of
problems (strings); empty means in step.

  options_documented  every Kconfig option has a row in the option tables
                      ("## Options") of docs/board-config.md with Kconfig's type and
                      default (DMA<i>_X rows list engines 0..3 in order,
                      or one value for all)
  unimplemented       an option whose CONFIG_ name no C or assembler
                      source outside test/ uses is described as "not
                      implemented yet" in its Kconfig help and its doc row;
                      and the two agree on which options say so
"""

import os
import re

import kconfiglib

NOT_YET = "not implemented yet"
SOURCE_EXT = (".c", ".h", ".S", ".ld", ".lds")
SKIP_DIRS = {"test", "build", ".git", "apps"}
ROW_RE = re.compile(r"\|\s*`([A-Z0-9_<>i]+)`\s*\|(.*)\|\s*$")


def load_kconfig(root):
    return kconfiglib.Kconfig(os.path.join(root, "Kconfig"),
                              warn_to_stderr=False)


def settable(kconf):
    return [s for s in kconf.unique_defined_syms
            if any(n.prompt for n in s.nodes)]


def help_text(sym):
    return " ".join(" ".join(n.help.split()) for n in sym.nodes if n.help)


def doc_rows(root):
    """Option name (as written, e.g. DMA<i>_NAME) -> [type, default,
    allowed, meaning] of its row in the "## Options" section of
    docs/board-config.md (other sections' tables are not option rows)."""
    rows = {}
    path = os.path.join(root, "docs", "board-config.md")
    section = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                section = line[3:].strip()
            if section != "Options":
                continue
            m = ROW_RE.match(line.strip())
            if m:
                cells = [c.strip() for c in m.group(2).split("|")]
                if len(cells) == 4:
                    rows[m.group(1)] = cells
    return rows


def row_for(rows, name):
    """The row of an option and the engine index within a DMA<i> row."""
    if name in rows:
        return rows[name], None
    m = re.fullmatch(r"DMA([0-9]+)_(.+)", name)
    if m and "DMA<i>_" + m.group(2) in rows:
        return rows["DMA<i>_" + m.group(2)], int(m.group(1))
    return None, None


def norm(sym, text):
    """A default as written in a doc cell -> comparable value."""
    text = text.strip().strip("`").strip()
    if sym.orig_type in (kconfiglib.INT, kconfiglib.HEX):
        try:
            return int(text, 0)
        except ValueError:
            return text
    return text


def kconfig_default(sym):
    """The first default, whatever its condition: kconfiglib adds the
    menu's dependency to it, and a DMA engine's menu may be disabled."""
    if not sym.defaults:
        return "n" if sym.orig_type is kconfiglib.BOOL else None
    default = sym.defaults[0][0]
    if sym.orig_type is kconfiglib.BOOL:
        return "y" if default.name == "y" else "n"
    if sym.orig_type is kconfiglib.STRING:
        return '"{}"'.format(default.str_value)
    return int(default.str_value,
               16 if sym.orig_type is kconfiglib.HEX else 10)


def options_documented(root):
    kconf = load_kconfig(root)
    rows = doc_rows(root)
    problems = []
    for sym in settable(kconf):
        row, engine = row_for(rows, sym.name)
        if row is None:
            problems.append("{}: no row in docs/board-config.md".format(
                sym.name))
            continue
        typ, default = row[0], row[1]
        want_type = kconfiglib.TYPE_TO_STR[sym.orig_type]
        if typ != want_type:
            problems.append("{}: doc says type {}, Kconfig {}".format(
                sym.name, typ, want_type))
        cells = [c for c in default.split(",")] if engine is not None \
            else [default]
        if engine is not None and len(cells) > 1:
            if engine >= len(cells):
                problems.append("{}: doc lists no default for engine {}"
                                .format(sym.name, engine))
                continue
            cell = cells[engine]
        else:
            cell = cells[0]
        got, want = norm(sym, cell), kconfig_default(sym)
        if got != want:
            problems.append("{}: doc default {}, Kconfig default {}".format(
                sym.name, cell.strip(), want))
    for name in rows:
        if name not in kconf.syms and "<i>" not in name:
            problems.append("{}: documented but not in Kconfig".format(name))
    return problems


def source_text(root):
    chunks = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not (d == root and x in SKIP_DIRS)
                   and not x.startswith(".")]
        for f in files:
            if f.endswith(SOURCE_EXT):
                with open(os.path.join(d, f), encoding="utf-8",
                          errors="replace") as fh:
                    chunks.append(fh.read())
    return "\n".join(chunks)


def used_in_code(name, code):
    """True if the firmware's sources use CONFIG_<name>. The DMA engine
    options reach the code as the BOARD_DMA_ENGINES_INIT table."""
    if re.search(r"\bCONFIG_{}\b".format(name), code):
        return True
    return bool(re.fullmatch(r"DMA[0-9]+_.+|DMA_ENGINE_COUNT", name)) and \
        re.search(r"\bBOARD_DMA_ENGINES_INIT\b", code) is not None


def unimplemented(root):
    kconf = load_kconfig(root)
    rows = doc_rows(root)
    code = source_text(root)
    problems = []
    for sym in settable(kconf):
        row, _ = row_for(rows, sym.name)
        in_help = NOT_YET in help_text(sym).lower()
        in_doc = row is not None and NOT_YET in row[3].lower()
        if not used_in_code(sym.name, code):
            if not in_help:
                problems.append("{}: no source uses CONFIG_{}, but its "
                                "Kconfig help does not say \"{}\"".format(
                                    sym.name, sym.name, NOT_YET))
            if not in_doc:
                problems.append("{}: no source uses CONFIG_{}, but its "
                                "docs/board-config.md row does not say "
                                "\"{}\"".format(sym.name, sym.name, NOT_YET))
        elif in_help != in_doc:
            problems.append("{}: \"{}\" in {} only".format(
                sym.name, NOT_YET,
                "Kconfig help" if in_help else "docs/board-config.md"))
    return problems
