"""gdb helpers for Pagoda's memory and tasks (loaded by tools/gdb/pagoda.gdb).

They read the kernel's data structures through the ELF's symbols and
DWARF types (the image is built with -g), like Linux's scripts/gdb:

pagoda-ps              tasks: pid, ppid, state, rss, name (kernel threads in [])
pagoda-meminfo         MemTotal/MemFree/MemAvailable... as meminfo_read()
                       computes them from the zones, then the vm_stat counters
pagoda-page PFN        one frame: flags, refcount/mapcount, order, zone, its
pagoda-page -v KVA     pageblock's migratetype and owner (anon: the mms and
pagoda-page -p PAGE    pids through the anon_vma; file: mapping + index;
                       slab: cache name; free: the buddy block it is in)
pagoda-vmas PID        the task's VMAs as /proc/PID/maps lines

The VM_* values mirror include/mm/mm_types.h (macros are not in DWARF).
"""
import gdb

PAGE_SHIFT = 12
PAGEBLOCK_ORDER = 9  # include/mm/mmzone.h
VM_READ, VM_WRITE, VM_EXEC, VM_SHARED = 0x1, 0x2, 0x4, 0x8
VM_GROWSDOWN, VM_HEAP = 0x100, 0x10000
PAGE_MAPPING_ANON = 0x1
MAPS_PAD = 25 + 8 * 6 - 1  # mm/mm_report.c: the name starts in column 73


def offset_of(typename, member):
    return int(gdb.parse_and_eval(f"(unsigned long)&(({typename} *)0)->{member}"))


def container_of(ptr, typename, member):
    return gdb.Value(int(ptr) - offset_of(typename, member)).cast(gdb.lookup_type(typename).pointer())


def list_entries(head, typename, member):
    """The entries of a struct list_head list (head: a gdb.Value of the head)."""
    first = int(head.address)
    node = head["next"]
    seen = 0
    while int(node) != first and seen < 100000:
        yield container_of(node, typename, member)
        node = node["next"]
        seen += 1


def enum_names(typename, prefix):
    """{value: name without prefix, lowercased} of an enum type."""
    return {int(f.enumval): f.name[len(prefix):].lower() for f in gdb.lookup_type(typename).fields()
            if f.name.startswith(prefix)}


def cstr(value):
    return value.string() if int(value.cast(gdb.lookup_type("unsigned long"))) else ""


def kb(pages):
    return pages << (PAGE_SHIFT - 10)


def tasks():
    return list_entries(gdb.parse_and_eval("all_tasks"), "struct task", "all_link")


def find_task(pid):
    for t in tasks():
        if int(t["pid"]) == pid:
            return t
    raise gdb.GdbError(f"no task with pid {pid} (pagoda-ps lists them)")


def mm_rss(mm):
    return sum(int(mm["rss"][i]) for i in range(3))  # MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES


class Ps(gdb.Command):
    """pagoda-ps: the tasks, as the firmware's ps prints them (pid, ppid, state, rss)."""

    STATE = {"TASK_RUNNABLE": "R", "TASK_SLEEPING": "S", "TASK_WAITING": "S", "TASK_ZOMBIE": "Z"}

    def __init__(self):
        super().__init__("pagoda-ps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        current = int(gdb.parse_and_eval("current"))
        print("  PID  PPID STAT      VSZ     RSS COMMAND")
        for t in tasks():
            mm = t["mm"]
            parent = t["parent"]
            state = self.STATE.get(str(t["state"]), "?")
            vsz = kb(int(mm["total_vm"])) if int(mm) else 0
            rss = kb(mm_rss(mm)) if int(mm) else 0
            name = t["name"].string()
            comm = name if int(mm) else f"[{name}]"
            arg_ = t["arg"].string()
            print(f"{int(t['pid']):5} {int(parent['pid']) if int(parent) else 0:5} "
                  f"{state + ('<' if int(t) == current else ''):<4} {vsz:8} {rss:7} {comm}{' ' + arg_ if arg_ else ''}")


class Meminfo(gdb.Command):
    """pagoda-meminfo: MemTotal/MemFree/MemAvailable/CmaTotal/CmaFree from the zones as
    meminfo_read() sums them, per-zone free/managed, then the vm_stat counters."""

    def __init__(self):
        super().__init__("pagoda-meminfo", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        zones = gdb.parse_and_eval("zones")
        nzones = zones.type.range()[1] + 1
        total = free = high = cma_total = cma_free = 0
        wmark_high = int(gdb.parse_and_eval("WMARK_HIGH"))
        per_zone = []
        for i in range(nzones):
            z = zones[i]
            if not int(z["name"]):
                continue
            zfree = int(z["nr_free"]) + int(z["pcp"]["count"])
            total += int(z["managed_pages"])
            free += zfree
            high += int(z["watermark"][wmark_high])
            cma_total += int(z["cma_pages"])
            cma_free += int(z["nr_free_cma"])
            per_zone.append((z["name"].string(), zfree, int(z["managed_pages"])))

        def line(name, kbytes):
            print(f"{name + ':':<16}{kbytes:8} kB")

        line("MemTotal", kb(total))
        line("MemFree", kb(free))
        # meminfo_read() adds SReclaimable (slab) to MemAvailable; that sum is
        # computed by a meminfo provider at run time, not stored: left out here
        line("MemAvailable", kb(free - high) if free > high else 0)
        line("CmaTotal", kb(cma_total))
        line("CmaFree", kb(cma_free))
        for name, zfree, managed in per_zone:
            print(f"zone {name:<8} free {kb(zfree):8} kB  managed {kb(managed):8} kB")
        vm_stat = gdb.parse_and_eval("vm_stat")
        names = enum_names("enum vm_stat_item", "")
        for i in range(vm_stat.type.range()[1] + 1):
            print(f"{names.get(i, str(i)).lower():<22}{int(vm_stat[i]):10}")


def kva_to_pa(kva):
    """A kernel linear-map (or image) VA to its PA: VA = PAGE_OFFSET + PA."""
    tcr = int(gdb.parse_and_eval("$TCR_EL1")) & 0xffffffffffffffff
    va_bits = 64 - ((tcr >> 16) & 0x3f)
    return kva & ((1 << va_bits) - 1)


class Page(gdb.Command):
    """pagoda-page PFN | -v KERNEL_VA | -p STRUCT_PAGE_PTR: decode one frame's struct page."""

    def __init__(self):
        super().__init__("pagoda-page", gdb.COMMAND_USER)

    def pfn_of(self, arg):
        argv = arg.split(None, 1)
        if not argv:
            raise gdb.GdbError("usage: pagoda-page PFN | -v KERNEL_VA | -p STRUCT_PAGE_PTR")
        if argv[0] == "-v":
            return kva_to_pa(int(gdb.parse_and_eval(argv[1])) & 0xffffffffffffffff) >> PAGE_SHIFT
        if argv[0] == "-p":
            page = gdb.parse_and_eval(argv[1]).cast(gdb.lookup_type("struct page").pointer())
            return int(gdb.parse_and_eval("mem_map_base_pfn")) + \
                (int(page) - int(gdb.parse_and_eval("mem_map"))) // gdb.lookup_type("struct page").sizeof
        return int(gdb.parse_and_eval(arg))

    def invoke(self, arg, from_tty):
        pfn = self.pfn_of(arg)
        base, nr = int(gdb.parse_and_eval("mem_map_base_pfn")), int(gdb.parse_and_eval("mem_map_nr"))
        if not base <= pfn < base + nr:
            raise gdb.GdbError(f"pfn {pfn:#x} is outside mem_map [{base:#x}, {base + nr:#x})")
        mem_map = gdb.parse_and_eval("mem_map")
        p = mem_map[pfn - base]
        bits = enum_names("enum page_flag_bits", "PG_")
        flags = int(p["flags"])
        names = [bits.get(b, str(b)) for b in range(32) if flags >> b & 1]
        zone = gdb.parse_and_eval("zones")[int(p["zone"])]
        pb_order = PAGEBLOCK_ORDER
        mt = "?"
        if int(zone["pageblock_type"]) and int(zone["start_pfn"]) <= pfn < int(zone["end_pfn"]):
            t = int(zone["pageblock_type"][(pfn >> pb_order) - (int(zone["start_pfn"]) >> pb_order)])
            mt = gdb.parse_and_eval("migratetype_names")[t].string()
        print(f"pfn {pfn:#x} (PA {pfn << PAGE_SHIFT:#x}) struct page {int(p.address):#x}")
        print(f"  flags {flags:#x} ({','.join(names) or 'none'})")
        print(f"  refcount {int(p['refcount'])} mapcount {int(p['mapcount'])} order {int(p['order'])}")
        print(f"  zone {cstr(zone['name']) or int(p['zone'])} pageblock {mt}")
        print("  owner " + self.owner(mem_map, base, pfn, p, flags, bits))

    def owner(self, mem_map, base, pfn, p, flags, bits):
        bit = {v: k for k, v in bits.items()}
        if flags >> bit["buddy"] & 1:
            return f"free block, order {int(p['order'])} ({1 << int(p['order'])} pages from here)"
        if flags >> bit["pcp"] & 1:
            return "free, on a per-CPU list"
        if flags >> bit["slab_tail"] & 1:
            head = p["private"].cast(gdb.lookup_type("struct page").pointer()).dereference()
            return "slab (tail page) " + self.slab_name(head)
        if flags >> bit["slab"] & 1:
            return "slab " + self.slab_name(p)
        if flags >> bit["reserved"] & 1:
            return "reserved (not managed by the buddy allocator)"
        mapping = int(p["mapping"])
        if mapping & PAGE_MAPPING_ANON:
            av = gdb.Value(mapping & ~PAGE_MAPPING_ANON).cast(gdb.lookup_type("struct anon_vma").pointer())
            users = []
            for vma in list_entries(av["vmas"], "struct vm_area_struct", "anon_link"):
                mm = vma["mm"]
                task = mm["owner"].cast(gdb.lookup_type("struct task").pointer()) if int(mm) else None
                who = f"pid {int(task['pid'])} ({task['name'].string()})" if task and int(task) else "no task"
                users.append(f"mm {int(mm):#x} {who} vma {int(vma['start']):#x}-{int(vma['end']):#x}")
            return (f"anon, anon_vma {int(av):#x}, VA {int(p['index']) << PAGE_SHIFT:#x}: "
                    + ("; ".join(users) or "no VMA"))
        if mapping:
            as_ = gdb.Value(mapping).cast(gdb.lookup_type("struct address_space").pointer())
            return f"file {cstr(as_['name'])} index {int(p['index'])}{' (shmem)' if bool(as_['shmem']) else ''}"
        # inside a free block whose head is below?
        for order in range(1, 16):
            head_pfn = pfn & ~((1 << order) - 1)
            if head_pfn < base:
                break
            h = mem_map[head_pfn - base]
            if int(h["flags"]) >> bit["buddy"] & 1 and int(h["order"]) >= order:
                return f"free, inside the order-{int(h['order'])} block at pfn {head_pfn:#x}"
        return "kernel (no mapping)" if int(p["refcount"]) else "none (refcount 0)"

    @staticmethod
    def slab_name(head):
        cache = head["mapping"].cast(gdb.lookup_type("struct kmem_cache").pointer())
        return f"cache {cache['name'].string()} ({int(head['index'])} objects)"


class Vmas(gdb.Command):
    """pagoda-vmas PID: the task's VMAs as /proc/PID/maps lines."""

    def __init__(self):
        super().__init__("pagoda-vmas", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: pagoda-vmas PID")
        t = find_task(int(gdb.parse_and_eval(arg)))
        mm = t["mm"]
        if not int(mm):
            print(f"pid {int(t['pid'])} ({t['name'].string()}) is a kernel thread: no address space")
            return
        for vma in list_entries(mm["vma_list"], "struct vm_area_struct", "list"):
            fl = int(vma["flags"])
            f = vma["file"]
            offset = int(vma["pgoff"]) << PAGE_SHIFT if int(f) else 0
            ino = int(f["ino"]) if int(f) else 0
            name = cstr(f["name"]) if int(f) else cstr(vma["name"])
            if not name:
                name = "[heap]" if fl & VM_HEAP else ("[stack]" if fl & VM_GROWSDOWN else "")
            head = (f"{int(vma['start']):08x}-{int(vma['end']):08x} "
                    f"{'r' if fl & VM_READ else '-'}{'w' if fl & VM_WRITE else '-'}"
                    f"{'x' if fl & VM_EXEC else '-'}{'s' if fl & VM_SHARED else 'p'} {offset:08x} 00:00 {ino} ")
            print(head + (" " * max(MAPS_PAD - len(head) + 1, 1) + name if name else ""))


Ps()
Meminfo()
Page()
Vmas()
