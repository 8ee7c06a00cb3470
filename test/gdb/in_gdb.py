"""Sourced by test/gdb/check_helpers.py inside gdb-multiarch, stopped at
show_ps (the demo's first `ps`): runs the helpers on frames it finds in
the kernel's own lists and prints each output between marker lines
(==> NAME [expected facts]) for the driver to check."""
import gdb


def run(name, cmd, *facts):
    print(f"==> {name} {' | '.join(facts)}")  # facts: strings its output must contain
    print(gdb.execute(cmd, to_string=True), end="")
    print("<== " + name)


def first_page(head_expr):
    """A struct page * (as an integer) on a list, or None if it is empty."""
    head = gdb.parse_and_eval(head_expr)
    nxt = int(head["next"])
    if nxt == int(head.address):
        return None
    off = int(gdb.parse_and_eval("(unsigned long)&((struct page *)0)->lru"))
    return nxt - off


run("ps", "pagoda-ps")
run("meminfo", "pagoda-meminfo")
# the kernel image's first frame: reserved
run("image", "pagoda-page -v (unsigned long)_text", "(reserved)", "owner reserved")
# a free block's head, from a zone's free lists
zones = gdb.parse_and_eval("zones")
found = False
for z in range(zones.type.range()[1] + 1):
    for order in range(10, -1, -1):
        for mt in range(4):
            p = first_page(f"zones[{z}].free_area[{order}].free_list[{mt}]")
            if p and not found:
                run("free", f"pagoda-page -p (struct page *){p:#x}", "(buddy)", f"owner free block, order {order} ")
                found = True
# an anon and a file page of the running apps, from the LRU lists
done = set()
for lst, name in ((1, "anon"), (0, "anon"), (3, "file"), (2, "file")):
    p = first_page(f"lru_lists[{lst}]")
    if p and name not in done:
        run(name, f"pagoda-page -p (struct page *){p:#x}", "lru", *(("owner anon, anon_vma", ": mm 0x", " pid ") if name == "anon" else ("owner file /apps/",)))
        done.add(name)
# the first app: its VMAs, and its mm_struct's frame (kzalloc: a slab page);
# tasks() comes from tools/gdb/pagoda_mm.py (sourced into the same namespace)
app = next((t for t in tasks() if int(t["mm"])), None)  # noqa: F821
if app is not None:
    pid = int(app["pid"])
    run("vmas", f"pagoda-vmas {pid}", "/apps/" + app["name"].string(), "[stack]")
    run("slab", f"pagoda-page -v {int(app['mm']):#x}", "(slab)", "slab cache kmalloc-")
print("==> end")
