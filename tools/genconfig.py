#!/usr/bin/python3
"""Check a Pagoda board configuration strictly and generate its C header.

usage: /usr/bin/python3 tools/genconfig.py --kconfig Kconfig --config board.cfg
           --header OUT.h [--check-only]

Terminology
  schema  the Kconfig file: option names, types, ranges, defaults, help.
  board   a .cfg file in the format kconfiglib writes:
            CONFIG_NAME=value          bool y/n, decimal int, 0x hex, "string"
            # CONFIG_NAME is not set   a bool that is n
          plus comments and blank lines.
  rule    a constraint Kconfig cannot express (alignment, an allowed set,
          letters of a flag string), kept in RULES below.

Why not kconfiglib's load_config() alone: it carries on after bad input.
An out-of-range value silently falls back on the default, "yes" reads as
y, hex without 0x is accepted, unknown options are dropped. The board
file is the only source of policy, so here each of those is an error.
The file is parsed line by line here; kconfiglib supplies the schema
(types, ranges, dependencies) and serves as a cross-check: any warning it
gives while loading the same file is an error too.

Errors go to stderr, one line each, all of them, then exit status 1:
  <cfg>:<line>: CONFIG_NAME=value: <reason>; allowed <what is allowed>
Line 0 means the file as a whole (a required option that is missing).

On success the header is written atomically (temporary file + rename),
and only when its content changes, so make rebuilds nothing needlessly.
"""

import argparse
import difflib
import os
import re
import sys
import tempfile

try:
    import kconfiglib
except ImportError:
    sys.exit("genconfig.py: cannot import kconfiglib; install Debian's "
             "python3-kconfiglib and run this with /usr/bin/python3")

PREFIX = "CONFIG_"
KIB = 1 << 10
MIB = 1 << 20

BOOL = kconfiglib.BOOL
INT = kconfiglib.INT
HEX = kconfiglib.HEX
STRING = kconfiglib.STRING


def size_str(n):
    """Human size of a byte count that is a power-of-two multiple."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", MIB), ("KiB", KIB)):
        if n >= scale and n % scale == 0:
            return "{} {}".format(n // scale, unit)
    return "{} bytes".format(n)


def join_or(items):
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else \
        ", ".join(items[:-1]) + " or " + items[-1]


# --- Rules Kconfig cannot express --------------------------------------------
#
# Each rule has check(value) -> reason or None, and describe() -> what it
# allows, for the "; allowed ..." part of an error. A OneOf replaces the
# Kconfig range in that text; the others add to it.

class OneOf:
    def __init__(self, *values):
        self.values = values

    def check(self, v):
        return None if v in self.values else "not an allowed value"

    def describe(self):
        return join_or(self.values)


class ArchOneOf:
    """A OneOf whose allowed set depends on the board's CONFIG_ARCH."""

    def __init__(self, by_arch):
        self.by_arch = {a: OneOf(*v) for a, v in by_arch.items()}

    def for_arch(self, arch):
        return self.by_arch.get(arch, self.by_arch[ARCHES[0]])


# CONFIG_ARCH values, the default first: make's ARCH= word.
ARCHES = ("arm64", "arm")


class Aligned:
    """An address or offset that must be a multiple of align bytes."""

    def __init__(self, align):
        self.align = align

    def check(self, v):
        return None if v % self.align == 0 else \
            "not {} aligned".format(size_str(self.align))

    def describe(self):
        return "multiples of {:#x} ({})".format(self.align,
                                                size_str(self.align))


class MultipleOf:
    def __init__(self, n):
        self.n = n

    def check(self, v):
        return None if v % self.n == 0 else \
            "not a multiple of {}".format(self.n)

    def describe(self):
        return "multiples of {}".format(self.n)


class PowerOfTwo:
    def check(self, v):
        return None if v > 0 and v & (v - 1) == 0 else "not a power of two"

    def describe(self):
        return "powers of two"


class Letters:
    """A flag string: each letter from the alphabet, at most once."""

    def __init__(self, alphabet):
        self.alphabet = alphabet

    def check(self, v):
        for i, ch in enumerate(v):
            if ch not in self.alphabet:
                return "letter {!r} is not a flag".format(ch)
            if ch in v[:i]:
                return "letter {!r} given twice".format(ch)
        return None

    def describe(self):
        return "letters from {{{}}}, each at most once, or \"\"".format(
            ",".join(self.alphabet))


class SlabDebug:
    """slub_debug-style: flag letters, optionally followed by ,cache,cache..."""

    def __init__(self, alphabet):
        self.letters = Letters(alphabet)
        self.cache = re.compile(r"[A-Za-z0-9._-]{1,31}")

    def check(self, v):
        flags, _, caches = v.partition(",")
        err = self.letters.check(flags)
        if err:
            return err
        if len(v) > 63:
            return "longer than 63 characters"
        if _ and not flags:
            return "cache names given without flags"
        for name in caches.split(",") if _ else []:
            if not self.cache.fullmatch(name):
                return "cache name {!r} is not [A-Za-z0-9._-]{{1,31}}".format(name)
        return None

    def describe(self):
        return ("letters from {{{}}} each at most once, optionally followed by "
                "\",cache,cache...\" (e.g. \"FZ,kmalloc-64\"), or \"\"".format(
                    ",".join(self.letters.alphabet)))


class Name:
    """A name that goes into logs and C string literals unescaped."""

    def __init__(self, maxlen, extra):
        self.maxlen = maxlen
        self.extra = extra
        self.pattern = re.compile(
            "[A-Za-z0-9{}]{{1,{}}}".format(re.escape(extra), maxlen))

    def check(self, v):
        if not v:
            return "empty name"
        if len(v) > self.maxlen:
            return "name longer than {} characters".format(self.maxlen)
        if not self.pattern.fullmatch(v):
            return "character not allowed in a name"
        return None

    def describe(self):
        return "1..{} characters from A-Z a-z 0-9 {}".format(
            self.maxlen, " ".join(self.extra))


# Option name pattern (full match) -> rules. Keep in step with the help
# texts in Kconfig, which state these rules for people.
RULES = [
    (r"BOARD_NAME", [Name(63, "._,+-")]),
    (r"ARCH", [OneOf(*ARCHES)]),
    (r"RAM_BASE", [Aligned(2 * MIB)]),
    (r"KERNEL_OFFSET", [Aligned(4 * KIB)]),
    (r"VA_BITS", [ArchOneOf({"arm64": (39, 48), "arm": (32,)})]),
    (r"KERNEL_STACK_KB", [OneOf(8, 16, 32, 64)]),
    (r"UART_BASE|GIC_DIST_BASE|GIC_CPU_BASE", [Aligned(4 * KIB)]),
    (r"GIC_REDIST_BASE", [Aligned(64 * KIB)]),
    (r"DMA[0-9]+_NAME", [Name(31, "._-")]),
    (r"DMA[0-9]+_BUS_OFFSET", [Aligned(4 * KIB)]),
    (r"CMA_ALIGN_KB", [PowerOfTwo()]),
    (r"SWIOTLB_SIZE_KB", [MultipleOf(4)]),
    (r"PSTORE_SIZE_KB", [MultipleOf(4)]),
    (r"APP_STACK_KB", [MultipleOf(4)]),
    (r"SLAB_DEBUG", [SlabDebug("FZPU")]),
]

# The fields of one DMA engine, in BOARD_DMA_ENGINES_INIT order.
DMA_FIELDS = ("NAME", "ADDR_BITS", "BUS_OFFSET", "CHANNELS", "USES_CMA", "IRQ")


class Errors:
    """Error lines of one config file, printed sorted by line number."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.items = []         # (line, text)
        self.bad = set()        # option names with an error
        self.lines = set()      # line numbers with an error

    def add(self, line, what, reason, allowed, name=None):
        self.items.append((line, "{}:{}: {}: {}; allowed {}".format(
            self.cfg, line, what, reason, allowed)))
        self.lines.add(line)
        if name:
            self.bad.add(name)

    def report(self):
        for _, text in sorted(self.items, key=lambda item: item[0]):
            sys.stderr.write(text + "\n")
        return 1 if self.items else 0


class Assignment:
    def __init__(self, line, name, raw, unset):
        self.line = line
        self.name = name
        self.raw = raw          # text after '=', "n" for 'is not set'
        self.unset = unset      # came from '# CONFIG_NAME is not set'

    def text(self):
        return "{}{}={}".format(PREFIX, self.name, self.raw)


SET_RE = re.compile(r"CONFIG_([A-Za-z0-9_]+)=(.*)")
UNSET_RE = re.compile(r"# CONFIG_([A-Za-z0-9_]+) is not set")
INT_RE = re.compile(r"-?(0|[1-9][0-9]*)")
HEX_RE = re.compile(r"0x[0-9a-fA-F]+")
STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def parse_cfg(text, errors):
    """Split a board file into assignments, first one per option.

    Reports malformed lines and options assigned twice.
    """
    assigns = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.rstrip()    # as kconfiglib and the C tools do
        m = SET_RE.fullmatch(line)
        if m:
            a = Assignment(lineno, m.group(1), m.group(2), False)
        else:
            m = UNSET_RE.fullmatch(line)
            if m:
                a = Assignment(lineno, m.group(1), "n", True)
            elif not line or line.startswith("#"):
                continue
            else:
                errors.add(lineno, line, "malformed line",
                           "CONFIG_NAME=value, '# CONFIG_NAME is not set', "
                           "comments and blank lines")
                continue
        first = assigns.get(a.name)
        if first:
            errors.add(lineno, a.text(),
                       "assigned twice (first at line {})".format(first.line),
                       "one assignment per option", a.name)
            continue
        assigns[a.name] = a
    return assigns


def parse_value(sym, a):
    """Turn an assignment's text into a Python value: (value, reason)."""
    t = sym.orig_type
    if a.unset and t is not BOOL:
        return None, "'is not set' is only for bool options"
    if t is BOOL:
        if a.raw in ("y", "n"):
            return a.raw == "y", None
        return None, "malformed bool"
    if t is INT:
        if INT_RE.fullmatch(a.raw):
            return int(a.raw, 10), None
        return None, "malformed decimal integer"
    if t is HEX:
        if HEX_RE.fullmatch(a.raw):
            return int(a.raw, 16), None
        return None, "malformed hex number (write 0x and hex digits)"
    if t is STRING:
        m = STRING_RE.fullmatch(a.raw)
        if m:
            return re.sub(r"\\(.)", r"\1", m.group(1)), None
        return None, "malformed string (write it in double quotes)"
    return None, "option type not supported by genconfig.py"


def active_range(sym):
    """(low, high) of the symbol's active Kconfig range, or None."""
    base = 16 if sym.orig_type is HEX else 10
    for low, high, cond in sym.ranges:
        if kconfiglib.expr_value(cond):
            return int(low.str_value, base), int(high.str_value, base)
    return None


def num_str(sym, n):
    return "{:#x}".format(n) if sym.orig_type is HEX else str(n)


def allowed_text(sym, rules):
    """What the '; allowed ...' part of an error says for this option."""
    if sym.orig_type is BOOL:
        return "y or n"
    for r in rules:
        if isinstance(r, OneOf):
            return r.describe()
    parts = []
    rng = active_range(sym) if sym.orig_type in (INT, HEX) else None
    if rng:
        parts.append("{}..{}".format(num_str(sym, rng[0]),
                                     num_str(sym, rng[1])))
    parts += [r.describe() for r in rules]
    if not parts:
        parts.append("a double-quoted string" if sym.orig_type is STRING
                     else "see Kconfig")
    return ", ".join(parts)


def default_text(sym):
    """The Kconfig default as it would be written in a board file."""
    for default, cond in sym.defaults:
        if kconfiglib.expr_value(cond):
            if sym.orig_type is BOOL:
                return "y" if kconfiglib.expr_value(default) else "n"
            if sym.orig_type is STRING:
                return '"{}"'.format(kconfiglib.escape(default.str_value))
            return default.str_value
    return "n" if sym.orig_type is BOOL else None


def has_prompt(sym):
    return any(node.prompt for node in sym.nodes)


def depends_on_bad(sym, errors):
    """True if the symbol's visibility hangs on an option with an error."""
    return any(isinstance(item, kconfiglib.Symbol) and item.name in errors.bad
               for item in kconfiglib.expr_items(sym.direct_dep))


def schema_fail(kconfig, msg):
    sys.stderr.write("{}: {}\n".format(kconfig, msg))
    sys.exit(1)


def load_schema(path):
    try:
        kconf = kconfiglib.Kconfig(path, warn=True, warn_to_stderr=False)
    except (kconfiglib.KconfigError, OSError) as e:
        schema_fail(path, " ".join(str(e).split()))
    for w in kconf.warnings:
        sys.stderr.write(" ".join(w.split()) + "\n")
    if kconf.warnings:
        sys.exit(1)
    return kconf


def bind_rules(kconf, kconfig):
    """Option name -> its rules; every rule must match some option."""
    names = [s.name for s in kconf.unique_defined_syms]
    bound = {name: [] for name in names}
    for pattern, rules in RULES:
        hits = [n for n in names if re.fullmatch(pattern, n)]
        if not hits:
            schema_fail(kconfig, "genconfig.py has rules for {} but Kconfig "
                        "declares no such option".format(pattern))
        for n in hits:
            bound[n] += rules
    for sym in kconf.unique_defined_syms:
        if sym.orig_type not in (BOOL, INT, HEX, STRING):
            schema_fail(kconfig, "{}: type {} not supported".format(
                sym.name, kconfiglib.TYPE_TO_STR[sym.orig_type]))
    for i in dma_engines(kconf):
        for f in DMA_FIELDS:
            if "DMA{}_{}".format(i, f) not in kconf.syms:
                schema_fail(kconfig, "DMA engine {} lacks DMA{}_{}".format(
                    i, i, f))
    return bound


def dma_engines(kconf):
    """Indices of the DMA engines declared in Kconfig, in order."""
    return sorted(int(m.group(1)) for m in
                  (re.fullmatch(r"DMA([0-9]+)_NAME", s.name)
                   for s in kconf.unique_defined_syms) if m)


def cross_checks(values, engines):
    """Rules that involve two options: yields (name, reason, allowed).

    Only options with valid values take part (values holds no others).
    """
    cma = values.get("CMA_SIZE_MB")
    align_kb = values.get("CMA_ALIGN_KB")
    if cma is not None and align_kb is not None and cma * KIB % align_kb:
        yield ("CMA_SIZE_MB",
               "not a multiple of CONFIG_CMA_ALIGN_KB={}".format(align_kb),
               "multiples of {}".format(size_str(align_kb * KIB)))
    seen = {}
    irqs = {}
    for i in engines:
        irq = values.get("DMA{}_IRQ".format(i))
        if irq is not None:
            if irq in irqs:
                yield ("DMA{}_IRQ".format(i),
                       "same interrupt as DMA engine {}".format(irqs[irq]),
                       "an INTID no other engine uses")
            irqs.setdefault(irq, i)
        if cma == 0 and values.get("DMA{}_USES_CMA".format(i)):
            yield ("DMA{}_USES_CMA".format(i),
                   "engine uses CMA but CONFIG_CMA_SIZE_MB=0",
                   "n while CMA is disabled")
        name = values.get("DMA{}_NAME".format(i))
        if name is not None:
            if name in seen:
                yield ("DMA{}_NAME".format(i),
                       "same name as DMA engine {}".format(seen[name]),
                       "a name no other engine has")
            seen.setdefault(name, i)


def align_up(n, a):
    return (n + a - 1) // a * a


def align_down(n, a):
    return n // a * a


def buddy_bytes(n):
    """What the buddy allocator hands out for n bytes: a power-of-two
    number of pages up to a pageblock (4 MiB), whole pageblocks above."""
    if n <= PAGEBLOCK:
        b = PAGE
        while b < n:
            b <<= 1
        return b
    return align_up(n, PAGEBLOCK)


def fits_aligned(lo, hi, size, align):
    """True if [lo, hi) holds a block of size bytes aligned to align."""
    return align_down(hi, align) - align_up(lo, align) >= size


PAGE = 4 * KIB
PAGEBLOCK = 4 * MIB     # MAX_ORDER block: pageblock order 10, 4 KiB pages


def layout_checks(values, engines):
    """What the board's own addresses rule out, before any DTB is seen:
    yields (name, reason, allowed) like cross_checks().

    RAM_BASE is where RAM starts (the boot checks the DTB agrees), so an
    engine that does not reach it, a pool that cannot fit in what its
    engines reach above it, or an address outside the kernel's linear
    map cannot work on any machine.
    """
    v = values.get
    ram, koff, va = v("RAM_BASE"), v("KERNEL_OFFSET"), v("VA_BITS")
    # ARMv7-A maps RAM from RAM_BASE (PHYS_OFFSET) and the UART in its
    # fixmap (platform/armv7a/include/arch/layout.h): these two are AArch64's
    aarch64 = v("ARCH") == "arm64"
    if va is not None and aarch64:
        # Physical addresses below 2^(VA_BITS-1) are mapped at
        # PAGE_OFFSET + pa (platform/aarch64/include/arch/layout.h); above lies vmalloc.
        linear = 1 << (va - 1)
        if ram is not None and koff is not None and ram + koff >= linear:
            yield ("RAM_BASE",
                   "the image at CONFIG_RAM_BASE + CONFIG_KERNEL_OFFSET = "
                   "{:#x} is beyond the kernel's linear map (physical "
                   "addresses below {:#x} with CONFIG_VA_BITS={})".format(
                       ram + koff, linear, va),
                   "RAM_BASE + KERNEL_OFFSET below {:#x}".format(linear))
            ram = None          # what follows measures from RAM_BASE
        uart = v("UART_BASE")
        if uart is not None and uart >= linear:
            yield ("UART_BASE",
                   "the early console is mapped at PAGE_OFFSET + "
                   "UART_BASE, and {:#x} is beyond the kernel's linear map "
                   "(physical addresses below {:#x} with CONFIG_VA_BITS={})"
                   .format(uart, linear, va),
                   "addresses below {:#x}".format(linear))
    uart = v("UART_BASE")
    if aarch64 and uart is not None and ram is not None and koff is not None and \
            uart >> 30 == (ram + koff) >> 30:
        gib = (ram + koff) >> 30 << 30
        yield ("UART_BASE",
               "in the same GiB as the image (CONFIG_RAM_BASE + "
               "CONFIG_KERNEL_OFFSET = {:#x}); the boot maps each with one "
               "1 GiB block, Normal memory for the image, Device for the "
               "UART (platform/aarch64/start.S)".format(ram + koff),
               "an address outside [{:#x}-{:#x}]".format(gib,
                                                       gib + (1 << 30) - 1))
    if ram is None:
        return

    # Each engine reaches [BUS_OFFSET, BUS_OFFSET + 2^ADDR_BITS).
    reach = {}
    for i in engines:
        off = v("DMA{}_BUS_OFFSET".format(i))
        bits = v("DMA{}_ADDR_BITS".format(i))
        if off is None or bits is None:
            continue
        lo, hi = off, off + (1 << bits)
        if lo > ram:
            yield ("DMA{}_BUS_OFFSET".format(i),
                   "engine {} reaches RAM only from {:#x}, above "
                   "CONFIG_RAM_BASE={:#x}; zones are address prefixes, so "
                   "every engine must reach the first RAM frame".format(
                       i, lo, ram),
                   "0x0..{:#x} (CONFIG_RAM_BASE)".format(ram))
        elif hi <= ram:
            yield ("DMA{}_ADDR_BITS".format(i),
                   "engine {} reaches [{:#x}-{:#x}], below CONFIG_RAM_BASE="
                   "{:#x}: no RAM".format(i, lo, hi - 1, ram),
                   "{}..64 with CONFIG_DMA{}_BUS_OFFSET={:#x}".format(
                       (ram - lo).bit_length(), i, lo))
        else:
            reach[i] = (lo, hi)
    if len(reach) != len(engines):
        return                  # reported above, or invalid values

    # The bounce pool is one buddy allocation in the lowest zone, which
    # ends where the narrowest engine stops reaching (mm/mm_init.c).
    tlb_kb = v("SWIOTLB_SIZE_KB")
    if tlb_kb is not None and engines:
        n = min(engines, key=lambda i: reach[i][1])
        top = reach[n][1]
        size = buddy_bytes(tlb_kb * KIB)
        if not fits_aligned(ram, top, size, min(size, PAGEBLOCK)):
            yield ("SWIOTLB_SIZE_KB",
                   "the bounce pool ({} as buddy blocks) cannot fit in "
                   "[{:#x}-{:#x}], the RAM the narrowest engine {} reaches "
                   "(CONFIG_RAM_BASE up to CONFIG_DMA{}_BUS_OFFSET + "
                   "2^CONFIG_DMA{}_ADDR_BITS)".format(
                       size_str(size), ram, top - 1,
                       v("DMA{}_NAME".format(n)), n, n),
                   "a pool whose buddy blocks fit in [{:#x}-{:#x}]".format(
                       ram, top - 1))

    # The CMA region lies in what every CMA-using engine reaches, whole
    # pageblocks aligned to max(CMA_ALIGN_KB, a pageblock) (mm/mm_init.c).
    cma_mb, align_kb = v("CMA_SIZE_MB"), v("CMA_ALIGN_KB")
    users = [i for i in engines if v("DMA{}_USES_CMA".format(i))]
    if cma_mb and align_kb and users and \
            all(v("DMA{}_USES_CMA".format(i)) is not None for i in engines):
        lo = max([ram] + [reach[i][0] for i in users])
        hi = min(reach[i][1] for i in users)
        align = max(align_kb * KIB, PAGEBLOCK)
        size = align_up(cma_mb * MIB, PAGEBLOCK)
        if not fits_aligned(lo, hi, size, align):
            room = max(0, align_down(hi, align) - align_up(lo, align))
            yield ("CMA_SIZE_MB",
                   "{} MiB of CMA cannot fit in what the engines using it "
                   "reach above CONFIG_RAM_BASE ({}: [{:#x}-{:#x}])".format(
                       cma_mb, ", ".join(
                           "{} (CONFIG_DMA{}_USES_CMA)".format(
                               v("DMA{}_NAME".format(i)), i) for i in users),
                       lo, hi - 1),
                   "0..{} with these engines".format(room // MIB))


def to_value(sym, sv):
    """kconfiglib's string value of a symbol as a Python value."""
    if sym.orig_type is BOOL:
        return sym.tri_value == 2
    if sym.orig_type in (INT, HEX):
        try:
            return int(sv, 16 if sym.orig_type is HEX else 10)
        except ValueError:
            return None
    return sv


def check(kconf, rules, cfg_path, errors, make_arch=None):
    """Check one board file; returns {name: value} of the enabled options.
    make_arch: make's ARCH=, which the board's CONFIG_ARCH must equal."""
    try:
        with open(cfg_path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        errors.add(0, "(file)", "cannot read the file ({})".format(
            getattr(e, "strerror", None) or e), "a readable UTF-8 file")
        return None
    assigns = parse_cfg(text, errors)
    # rules whose allowed values depend on the architecture
    a = assigns.get("ARCH")
    arch = a.raw.strip('"') if a else None
    rules = {n: [r.for_arch(arch) if isinstance(r, ArchOneOf) else r
                 for r in rs] for n, rs in rules.items()}

    # kconfiglib's view of the same file, for dependencies and as a
    # cross-check. Evaluating every value makes it give its range warnings.
    kconf.warnings = []
    kconf.warn_assign_undef = True
    kconf.warn_assign_override = True
    kconf.warn_assign_redun = True
    kconf.load_config(cfg_path)
    for sym in kconf.unique_defined_syms:
        sym.str_value

    values = {}
    for name, a in assigns.items():
        sym = kconf.syms.get(name)
        if sym is None or not sym.nodes:
            close = difflib.get_close_matches(
                name, [s.name for s in kconf.unique_defined_syms], 1)
            hint = " (did you mean {}{}?)".format(PREFIX, close[0]) \
                if close else ""
            errors.add(a.line, a.text(), "unknown option" + hint,
                       "only options declared in Kconfig", name)
            continue
        allowed = allowed_text(sym, rules[name])
        if not has_prompt(sym):
            errors.add(a.line, a.text(), "derived option, not settable",
                       "no assignment", name)
            continue
        value, reason = parse_value(sym, a)
        if reason is None and sym.orig_type in (INT, HEX):
            rng = active_range(sym)
            if rng and not rng[0] <= value <= rng[1]:
                reason = "out of range"
        if reason is None:
            for r in rules[name]:
                reason = r.check(value)
                if reason:
                    break
        if reason:
            errors.add(a.line, a.text(), reason, allowed, name)
            continue
        values[name] = value

    # Dependencies: an option of a disabled menu must not be assigned; an
    # enabled one must be. Skipped where the dependency itself is in error,
    # to report the cause rather than its consequences.
    for sym in kconf.unique_defined_syms:
        if not has_prompt(sym) or depends_on_bad(sym, errors):
            continue
        a = assigns.get(sym.name)
        if a and not sym.visibility and sym.name not in errors.bad:
            cond = kconfiglib.expr_str(sym.direct_dep)
            errors.add(a.line, a.text(),
                       "option disabled here ({} is false)".format(cond),
                       "only when {}".format(cond), sym.name)
            values.pop(sym.name, None)
        elif not a and sym.visibility:
            default = default_text(sym)
            hint = " (Kconfig default: {}{}={})".format(
                PREFIX, sym.name, default) if default is not None else ""
            errors.add(0, "{}{}=(missing)".format(PREFIX, sym.name),
                       "required option not set" + hint,
                       allowed_text(sym, rules[sym.name]), sym.name)

    if make_arch and values.get("ARCH") not in (None, make_arch):
        a = assigns["ARCH"]
        errors.add(a.line, a.text(),
                   "the build is make ARCH={}".format(make_arch),
                   "\"{}\" with make ARCH={}, or build this board with "
                   "make ARCH={}".format(make_arch, make_arch, values["ARCH"]),
                   "ARCH")
        values.pop("ARCH")

    engines = [i for i in dma_engines(kconf)
               if kconf.syms["DMA{}_NAME".format(i)].visibility]
    # Layout checks see only values that passed the cross checks.
    for checks in (cross_checks, layout_checks):
        for name, reason, allowed in list(checks(values, engines)):
            errors.add(assigns[name].line, assigns[name].text(), reason,
                       allowed, name)
            values.pop(name, None)

    # Safety net: kconfiglib must have no complaint and must agree on every
    # value. Either failing here means a gap in the checks above.
    for w in kconf.warnings:
        w = " ".join(w.split())
        m = re.match(r"(.*?):([0-9]+): warning: (.*)", w)
        if m and m.group(1) == cfg_path:
            line = int(m.group(2))
            if line in errors.lines:
                continue
            a = next((x for x in assigns.values() if x.line == line), None)
            errors.add(line, a.text() if a else "line",
                       "kconfiglib: " + m.group(3), "see Kconfig")
            continue
        m = re.search(r"\b([A-Za-z0-9_]+) \(defined at", w)
        name = m.group(1) if m else None
        if name in errors.bad:
            continue
        a = assigns.get(name)
        errors.add(a.line if a else 0,
                   a.text() if a else PREFIX + (name or "*"),
                   "kconfiglib: " + w, "see Kconfig", name)
    for name, value in values.items():
        if name in errors.bad:          # e.g. assigned twice
            continue
        sym = kconf.syms[name]
        sv = sym.str_value
        if to_value(sym, sv) != value:
            a = assigns[name]
            errors.add(a.line, a.text(),
                       "kconfiglib resolves this option to {!r}".format(sv),
                       allowed_text(sym, rules[name]), name)
    return values


# --- Header ------------------------------------------------------------------

def c_string(s):
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.extend("\\{:03o}".format(b) for b in ch.encode("utf-8"))
    return '"' + "".join(out) + '"'


def c_value(sym, value):
    if sym.orig_type is BOOL:
        return "1" if value else "0"
    if sym.orig_type is HEX:
        return "0x{:08x}".format(value)
    if sym.orig_type is INT:
        return str(value)
    return c_string(value)


def header_text(kconf, values, cfg_label, out_path):
    guard = "PAGODA_" + re.sub(r"[^A-Za-z0-9]", "_",
                               os.path.basename(out_path)).upper()
    out = [
        "/*",
        " * Board configuration: generated from {} \u2014 do not edit."
        .format(cfg_label),
        " *",
        " * Written by tools/genconfig.py from the board file and Kconfig;",
        " * change the board file (or run make menuconfig) instead. The",
        " * options are described in Kconfig and docs/board-config.md.",
        " *",
        " * Every enabled option is defined. Bools are 1 or 0, never left",
        " * undefined: test them with if (CONFIG_X), not #ifdef. Hex values",
        " * are plain 0x constants, usable from assembler and linker scripts;",
        " * in C, convert them to a 64-bit type before arithmetic. Options of",
        " * a disabled menu (a DMA engine beyond CONFIG_DMA_ENGINE_COUNT) are",
        " * not defined: reach engines through BOARD_DMA_ENGINES_INIT.",
        " */",
        "#ifndef " + guard,
        "#define " + guard,
        "",
    ]
    done = set()

    def walk(parent):
        node = parent.list
        while node:
            item = node.item
            if item is kconfiglib.MENU:
                title = node.prompt[0]
                if kconfiglib.expr_value(node.dep):
                    out.extend(["", "/* {} */".format(title)])
                    walk(node)
                else:
                    out.extend(["", "/* {}: not configured ({} is false) */"
                                .format(title,
                                        kconfiglib.expr_str(node.dep))])
            elif isinstance(item, kconfiglib.Symbol) and \
                    item.name not in done:
                done.add(item.name)
                if item.name in values:
                    out.append("#define {}{} {}".format(
                        PREFIX, item.name, c_value(item, values[item.name])))
                elif not has_prompt(item) and item.config_string:
                    # A derived option: kconfiglib computes it.
                    out.append("#define {}{} {}".format(
                        PREFIX, item.name,
                        c_value(item, to_value(item, item.str_value))))
            node = node.next

    walk(kconf.top_node)

    engines = [i for i in dma_engines(kconf)
               if "DMA{}_NAME".format(i) in values]
    rows = []
    for i in engines:
        v = [values["DMA{}_{}".format(i, f)] for f in DMA_FIELDS]
        rows.append("\t{{ {}, {}, 0x{:08x}ULL, {}, {}, {} }}, \\".format(
            c_string(v[0]), v[1], v[2], v[3], 1 if v[4] else 0, v[5]))
    out += [
        "",
        "#ifndef __ASSEMBLER__",
        "/*",
        " * The configured DMA engines, engine 0 first, as initializers of",
        " * { name, addr_bits, bus_offset, channels, uses_cma, irq }.",
        " */",
        "#define BOARD_DMA_ENGINES_INIT { \\",
    ] + rows + [
        "}",
        "#endif /* !__ASSEMBLER__ */",
        "",
        "#endif /* {} */".format(guard),
    ]
    return "\n".join(out) + "\n"


def write_if_changed(path, text):
    """Atomically replace path with text unless it already holds it."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return False
    except (OSError, UnicodeDecodeError):
        pass
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory,
                               prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def main():
    ap = argparse.ArgumentParser(
        description="Check a board config strictly against Kconfig and "
                    "generate its C header.")
    ap.add_argument("--kconfig", required=True, help="the Kconfig schema")
    ap.add_argument("--config", required=True, help="the board .cfg file")
    ap.add_argument("--header", help="the C header to write")
    ap.add_argument("--arch", choices=ARCHES,
                    help="make's ARCH=: the board's CONFIG_ARCH must match")
    ap.add_argument("--check-only", action="store_true",
                    help="check the board file, write nothing")
    args = ap.parse_args()
    if not args.header and not args.check_only:
        ap.error("--header is required unless --check-only is given")

    kconf = load_schema(args.kconfig)
    rules = bind_rules(kconf, args.kconfig)
    errors = Errors(args.config)
    values = check(kconf, rules, args.config, errors, args.arch)
    if errors.report():
        return 1
    if not args.check_only:
        write_if_changed(args.header,
                         header_text(kconf, values, args.config, args.header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
