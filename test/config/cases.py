"""The broken boards of test/config/run_tests.py, as edits of board.cfg.

Each case is board.cfg with one option edited: the edit is made at test
time on the current board.cfg (which must itself pass), so a case tests
exactly one defect however the schema grows.

    Case(option, edit, expect, at=None)

option  the option the edit touches (without CONFIG_); every error line
        must name it.
edit    Set("value") replaces the option's value; Line("text") replaces
        its whole line; Delete() removes it; After("text") adds a line
        after it (or after option anchor's line, for an option board.cfg
        does not set).
expect  a fragment of the error, after "CONFIG_NAME=value: ".
at      the option on whose line the error is reported, when the rule
        spans options (default: option itself). Its message must still
        name the edited option.
"""


class Set:
    def __init__(self, value):
        self.value = value

    def apply(self, option, line):
        return ["CONFIG_{}={}".format(option, self.value)]


class Line:
    def __init__(self, text):
        self.text = text

    def apply(self, option, line):
        return [self.text]


class Delete:
    def apply(self, option, line):
        return []


class After:
    def __init__(self, text, anchor=None):
        self.text = text
        self.anchor = anchor

    def apply(self, option, line):
        return [line, self.text]


class Case:
    def __init__(self, option, edit, expect, at=None):
        self.option = option
        self.edit = edit
        self.expect = expect
        self.at = at or option

    def name(self):
        e = self.edit
        what = {Set: lambda: "=" + e.value, Line: lambda: " -> " + e.text,
                Delete: lambda: " deleted",
                After: lambda: ", then " + e.text}[type(e)]()
        return "CONFIG_{}{}".format(self.option, what)


CASES = [
    # file syntax
    Case("TIMER_HZ", Line("CONFIG_TIMER_HZ 100"), "malformed line"),
    Case("TIMER_HZ", Line("CONFIG_TIMER_HERTZ=100"),
         "unknown option (did you mean CONFIG_TIMER_HZ?)"),
    Case("TIMER_IRQ", Delete(), "required option not set"),
    Case("CMA_SIZE_MB", After("CONFIG_CMA_SIZE_MB=32"), "assigned twice"),
    Case("CMA_SIZE_MB", After("CONFIG_CMA_SIZE_MB=16"), "assigned twice"),
    Case("DMA2_CHANNELS", After("CONFIG_DMA2_CHANNELS=4", anchor="DMA1_IRQ"),
         "option disabled here (DMA_ENGINE_COUNT > 2 is false)"),
    Case("GIC_DIST_BASE", Set("08000000"), "malformed hex"),
    Case("UART_BASE", Set("0x0900O000"), "malformed hex"),
    Case("ZRAM_SIZE_MB", Set("032"), "malformed decimal integer"),
    Case("MIN_FREE_KBYTES", Set("1O24"), "malformed decimal integer"),
    Case("BOARD_NAME", Set("qemu-virt"), "malformed string"),
    Case("PAGE_POISONING", Line("CONFIG_PAGE_POISONING=yes"),
         "malformed bool"),
    Case("ZRAM_MEM_LIMIT_MB", Line("# CONFIG_ZRAM_MEM_LIMIT_MB is not set"),
         "'is not set' is only for bool options"),
    # one option's value
    Case("BOARD_NAME", Set('"qemu virt"'), "character not allowed in a name"),
    Case("RAM_BASE", Set("0x40100000"), "not 2 MiB aligned"),
    Case("KERNEL_OFFSET", Set("0x80000"), "out of range"),
    Case("KERNEL_OFFSET", Set("0x200800"), "not 4 KiB aligned"),
    Case("VA_BITS", Set("40"), "not an allowed value; allowed 39 or 48"),
    Case("ARCH", Set('"x86"'), "not an allowed value; allowed arm64 or arm"),
    Case("KERNEL_STACK_KB", Set("24"),
         "not an allowed value; allowed 8, 16, 32 or 64"),
    Case("GIC_REDIST_BASE", Set("0x080a1000"), "not 64 KiB aligned"),
    Case("TIMER_IRQ", Set("32"), "out of range"),
    Case("TIMER_HZ", Set("5000"), "out of range"),
    Case("DMA_ENGINE_COUNT", Set("5"), "out of range"),
    Case("DMA1_ADDR_BITS", Set("65"), "out of range"),
    Case("DMA0_IRQ", Set("27"), "out of range"),          # the timer's PPI
    Case("DMA0_IRQ", Set("1020"), "out of range"),        # a special INTID
    Case("CMA_ALIGN_KB", Set("6144"), "not a power of two"),
    Case("SWIOTLB_SIZE_KB", Set("1026"), "not a multiple of 4"),
    Case("PSTORE_SIZE_KB", Set("6"), "not a multiple of 4"),
    Case("PSTORE_SIZE_KB", Set("2048"), "out of range"),
    Case("MAX_TASKS", Set("3"), "out of range"),
    Case("MAX_TASKS", Set("257"), "out of range"),
    Case("APP_STACK_KB", Set("8"), "out of range"),
    Case("APP_STACK_KB", Set("258"), "not a multiple of 4"),
    Case("SCHED_SLICE_MS", Set("0"), "out of range"),
    Case("SCHED_SLICE_MS", Set("1001"), "out of range"),
    Case("SLAB_DEBUG", Set('"FQ"'), "letter 'Q' is not a flag"),
    Case("SLAB_DEBUG", Set('"FF"'), "letter 'F' given twice"),
    Case("SLAB_DEBUG", Set('"FZ,kmalloc 64"'), "cache name"),
    # rules across options
    Case("DMA1_NAME", Set('"dma24"'), "same name as DMA engine 0"),
    Case("DMA1_IRQ", Set("200"), "same interrupt as DMA engine 0"),
    Case("CMA_SIZE_MB", Set("0"), "engine uses CMA but CONFIG_CMA_SIZE_MB=0",
         at="DMA1_USES_CMA"),
    Case("CMA_SIZE_MB", Set("6"),
         "not a multiple of CONFIG_CMA_ALIGN_KB=4096"),
    # what the board's addresses rule out on any machine
    Case("RAM_BASE", Set("0x800000000000"),
         "is beyond the kernel's linear map"),
    Case("UART_BASE", Set("0x800000000000"),
         "is beyond the kernel's linear map"),
    Case("UART_BASE", Set("0x70000000"), "in the same GiB as the image"),
    Case("DMA0_BUS_OFFSET", Set("0x40001000"),
         "engine 0 reaches RAM only from 0x40001000, above "
         "CONFIG_RAM_BASE=0x40000000"),
    Case("DMA0_BUS_OFFSET", Set("0x0"),
         "below CONFIG_RAM_BASE=0x40000000: no RAM; allowed 31..64",
         at="DMA0_ADDR_BITS"),
    Case("DMA0_BUS_OFFSET", Set("0x3f001000"),
         "the bounce pool (1 MiB as buddy blocks) cannot fit",
         at="SWIOTLB_SIZE_KB"),
    Case("CMA_SIZE_MB", Set("4096"),
         "4096 MiB of CMA cannot fit in what the engines using it reach "
         "above CONFIG_RAM_BASE (dma32 (CONFIG_DMA1_USES_CMA): "
         "[0x40000000-0xffffffff]); allowed 0..3072"),
]
